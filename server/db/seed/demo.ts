/**
 * The demo province: the standard departments of 河北省, 石家庄市, 长安区 and 雄安新区, and one
 * account per role, all with the password `tongban-demo`. Runs only in demo mode (never when
 * NODE_ENV=production or TONGBAN_DEMO=0); idempotent.
 */
import type { Role } from '../../core/actor.js';
import type { Ctx } from '../../core/ctx.js';
import { ensureStandardDepartments, findDepartmentByKind, HEBEI, XIONGAN } from '../../modules/regions/index.js';
import { createStaff, register } from '../../modules/identity/index.js';
import { seedCertificatesDemo } from '../../modules/certificates/index.js';
import { seedSharingDemo } from '../../modules/sharing/index.js';
import { AppError } from '../../../shared/errors.js';
import { seedCatalogue } from './catalogue/index.js';
import { seedDelegationDemo } from './delegation.js';

export const DEMO_PASSWORD = 'tongban-demo';
export const SHIJIAZHUANG = '130100';
export const CHANGAN = '130102';

interface DemoStaff {
  username: string;
  name: string;
  region: string;
  department: string;
  roles: Role[];
}

export const DEMO_STAFF: DemoStaff[] = [
  { username: 'window', name: '王芳', region: CHANGAN, department: 'service_center', roles: ['window_clerk'] },
  { username: 'reviewer.amr', name: '赵强', region: CHANGAN, department: 'amr', roles: ['reviewer'] },
  { username: 'reviewer.health', name: '孙丽', region: CHANGAN, department: 'health', roles: ['reviewer'] },
  { username: 'head.amr', name: '周明', region: CHANGAN, department: 'amr', roles: ['department_head'] },
  { username: 'inspector', name: '吴刚', region: CHANGAN, department: 'amr', roles: ['inspector'] },
  { username: 'steward', name: '郑洁', region: SHIJIAZHUANG, department: 'public_security', roles: ['data_steward'] },
  { username: 'catalogue', name: '钱进', region: HEBEI, department: 'data_service', roles: ['catalogue_admin'] },
  { username: 'efficiency', name: '冯静', region: HEBEI, department: 'data_service', roles: ['efficiency_officer'] },
  { username: 'admin', name: '陈安', region: HEBEI, department: 'data_service', roles: ['system_admin'] },
];

export async function seedDemo(ctx: Ctx): Promise<{ created: string[] }> {
  for (const region of [HEBEI, SHIJIAZHUANG, CHANGAN, XIONGAN]) await ensureStandardDepartments(ctx, region);
  const created: string[] = [];
  const ignoreExisting = async (username: string, f: () => Promise<unknown>) => {
    try {
      await f();
      created.push(username);
    } catch (e) {
      if (!(e instanceof AppError && e.code === 'CONFLICT')) throw e;
    }
  };
  await ignoreExisting('citizen', () =>
    register(ctx, { kind: 'person', username: 'citizen', password: DEMO_PASSWORD, name: '张三', idNumber: '130102199003071233', phone: '13800138000', regionCode: CHANGAN }),
  );
  await ignoreExisting('business', () =>
    register(ctx, {
      kind: 'business',
      username: 'business',
      password: DEMO_PASSWORD,
      name: '石家庄市长安区通办餐饮有限公司',
      creditCode: '91130102MA0DXQ7K30',
      legalRepresentative: { name: '李四', idNumber: '130102198506123459' },
      phone: '13900139000',
      regionCode: CHANGAN,
    }),
  );
  for (const s of DEMO_STAFF) {
    const dept = await findDepartmentByKind(ctx, s.region, s.department);
    if (!dept) throw new Error(`demo seed: no ${s.department} in ${s.region}`);
    await ignoreExisting(s.username, () =>
      createStaff(ctx, { username: s.username, password: DEMO_PASSWORD, name: s.name, departmentId: dept.id, roles: s.roles }),
    );
  }
  await seedCatalogue(ctx); // before the modules that refer to items
  await seedCertificatesDemo(ctx); // the demo business's 营业执照 and 食品经营许可证 (idempotent)
  await seedSharingDemo(ctx); // the data catalogue (reference data) and the demo people's records
  await seedDelegationDemo(ctx); // item links, two unfinished takeOvers, 雄安新区's pilots
  return { created };
}
