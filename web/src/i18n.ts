/**
 * Every string the UI shows, zh-CN first (the default), English second. Messages from the
 * server are already zh-CN and are shown as they come.
 */
export type Locale = 'zh-CN' | 'en-US';
export const LOCALES: readonly Locale[] = ['zh-CN', 'en-US'];
export const DEFAULT_LOCALE: Locale = 'zh-CN';

const dict = {
  'app.title': ['通办 · 河北政务服务', 'Tongban · Hebei Government Services'],
  'app.footer': ['河北省政务服务 · 放管服改革', 'Hebei Government Services · Streamline, Supervise, Serve'],
  'locale.switch': ['English', '中文'],
  'locale.switchLabel': ['切换语言', 'Switch language'],

  'nav.home': ['首页', 'Home'],
  'nav.regions': ['行政区划', 'Regions'],
  'nav.profile': ['个人中心', 'Profile'],
  'nav.login': ['登录', 'Sign in'],
  'nav.register': ['注册', 'Register'],
  'nav.logout': ['退出登录', 'Sign out'],

  'login.title': ['用户登录', 'Sign in'],
  'login.username': ['用户名', 'Username'],
  'login.password': ['密码', 'Password'],
  'login.submit': ['登录', 'Sign in'],
  'login.noAccount': ['还没有账户？', 'No account yet?'],
  'login.toRegister': ['立即注册', 'Register now'],
  'login.registered': ['注册成功，请登录', 'Registered. Please sign in'],
  'login.usernameRequired': ['请输入用户名', 'Enter your username'],
  'login.passwordRequired': ['请输入密码', 'Enter your password'],

  'register.title': ['注册账户', 'Create an account'],
  'register.person': ['个人', 'Individual'],
  'register.business': ['法人', 'Business'],
  'register.username': ['用户名', 'Username'],
  'register.usernameHelp': ['3–32位字母、数字、点、下划线或连字符', '3–32 letters, digits, dots, underscores or hyphens'],
  'register.password': ['密码', 'Password'],
  'register.passwordHelp': ['至少10个字符', 'At least 10 characters'],
  'register.confirm': ['确认密码', 'Confirm password'],
  'register.confirmMismatch': ['两次输入的密码不一致', 'The passwords do not match'],
  'register.personName': ['姓名', 'Full name'],
  'register.idNumber': ['公民身份号码', 'Resident ID number'],
  'register.phone': ['手机号码', 'Mobile phone'],
  'register.businessName': ['单位名称', 'Business name'],
  'register.creditCode': ['统一社会信用代码', 'Unified social credit code'],
  'register.legalRepName': ['法定代表人姓名', 'Legal representative'],
  'register.legalRepId': ['法定代表人身份号码', "Legal representative's ID number"],
  'register.phoneOptional': ['联系电话（可选）', 'Phone (optional)'],
  'register.submit': ['注册', 'Register'],
  'register.haveAccount': ['已有账户？', 'Already registered?'],
  'register.toLogin': ['去登录', 'Sign in'],
  'register.required': ['此项必填', 'This field is required'],

  'home.hello': ['您好，{name}', 'Hello, {name}'],
  'home.applicantIntro': ['欢迎使用河北政务服务平台，足不出户办好事。', 'Welcome to the Hebei government service platform.'],
  'home.staffIntro': ['{department} · 工作人员', '{department} · Staff'],
  'home.comingSoon': ['即将上线', 'Coming soon'],
  'home.services': ['办事服务', 'Services'],
  'home.servicesDesc': ['查找事项，在线申请', 'Find a service and apply online'],
  'home.myCases': ['我的办件', 'My applications'],
  'home.myCasesDesc': ['查看申请进度与结果', 'Track your applications'],
  'home.myCertificates': ['我的证照', 'My certificates'],
  'home.myCertificatesDesc': ['电子证照，免于提交', 'Electronic licences and certificates'],
  'home.workbench': ['工作台', 'Workbench'],
  'home.workbenchDesc': ['待受理、待审批的办件', 'Cases waiting for you'],
  'home.catalogue': ['事项管理', 'Service catalogue'],
  'home.catalogueDesc': ['权责清单与实施清单', 'Powers and implementations'],
  'home.supervision': ['监管检查', 'Supervision'],
  'home.supervisionDesc': ['双随机一公开', 'Random inspections'],
  'home.efficiency': ['效能监察', 'Efficiency watch'],
  'home.efficiencyDesc': ['时限预警与督办', 'Time-limit warnings'],
  'home.department': ['所属部门', 'Department'],
  'home.roles': ['角色', 'Roles'],
  'home.noDepartment': ['未分配部门', 'No department'],

  'profile.title': ['个人中心', 'Profile'],
  'profile.username': ['用户名', 'Username'],
  'profile.kind': ['账户类型', 'Account type'],
  'profile.name': ['名称', 'Name'],
  'profile.idNumber': ['公民身份号码', 'ID number'],
  'profile.phone': ['手机号码', 'Phone'],
  'profile.creditCode': ['统一社会信用代码', 'Credit code'],
  'profile.legalRep': ['法定代表人', 'Legal representative'],
  'profile.region': ['所属区划', 'Region'],
  'profile.department': ['所属部门', 'Department'],
  'profile.roles': ['角色', 'Roles'],
  'profile.maskedNote': ['为保护个人信息，号码已部分隐藏。', 'Numbers are partly hidden to protect personal data.'],
  'profile.logout': ['退出登录', 'Sign out'],
  'kind.person': ['自然人', 'Individual'],
  'kind.business': ['法人', 'Business'],
  'kind.staff': ['工作人员', 'Staff'],

  'regions.title': ['行政区划', 'Administrative regions'],
  'regions.intro': ['河北省行政区划（GB/T 2260），点击展开下级。', 'Regions of Hebei (GB/T 2260); expand a node to load its children.'],
  'regions.notGb': ['地方代码', 'local code'],
  'regions.level.province': ['省', 'province'],
  'regions.level.city': ['市', 'city'],
  'regions.level.county': ['县区', 'county'],

  'role.window_clerk': ['综合窗口', 'Window clerk'],
  'role.reviewer': ['审批人员', 'Reviewer'],
  'role.department_head': ['部门负责人', 'Department head'],
  'role.inspector': ['执法检查人员', 'Inspector'],
  'role.data_steward': ['数据管理员', 'Data steward'],
  'role.catalogue_admin': ['事项管理员', 'Catalogue admin'],
  'role.efficiency_officer': ['效能监察员', 'Efficiency officer'],
  'role.system_admin': ['系统管理员', 'System admin'],

  'error.title': ['出错了', 'Something went wrong'],
  'error.network': ['无法连接服务器，请检查网络后重试', 'Cannot reach the server; check your connection and retry'],
  'error.retry': ['重试', 'Retry'],
  'error.notFound': ['页面不存在', 'Page not found'],
  'error.backHome': ['返回首页', 'Back to home'],
  'form.fixFields': ['请按提示修改标红的项目', 'Please correct the highlighted fields'],
  'common.loading': ['加载中…', 'Loading…'],
} as const satisfies Record<string, readonly [string, string]>;

export type MessageKey = keyof typeof dict;

export function translate(locale: Locale, key: MessageKey, vars?: Record<string, string | number>): string {
  const entry = dict[key];
  let s: string = locale === 'en-US' ? entry[1] : entry[0];
  if (vars) for (const [k, v] of Object.entries(vars)) s = s.replaceAll(`{${k}}`, String(v));
  return s;
}

export function hasMessage(key: string): key is MessageKey {
  return Object.prototype.hasOwnProperty.call(dict, key);
}

const STORAGE_KEY = 'tongban.locale';

export function storedLocale(): Locale {
  try {
    const v = window.localStorage.getItem(STORAGE_KEY);
    return v === 'en-US' || v === 'zh-CN' ? v : DEFAULT_LOCALE;
  } catch {
    return DEFAULT_LOCALE;
  }
}

export function storeLocale(locale: Locale): void {
  try {
    window.localStorage.setItem(STORAGE_KEY, locale);
  } catch {
    // storage disabled (private mode): the choice lasts for this page only
  }
}
