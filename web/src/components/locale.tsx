import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import enUS from 'antd/locale/en_US';
import { storedLocale, storeLocale, translate, type Locale, type MessageKey } from '../i18n';

interface LocaleState {
  locale: Locale;
  setLocale: (l: Locale) => void;
  t: (key: MessageKey, vars?: Record<string, string | number>) => string;
}

const LocaleContext = createContext<LocaleState | null>(null);

const THEME = { token: { colorPrimary: '#c8102e', borderRadius: 6 } };

/** The UI language (zh-CN by default, remembered in localStorage) and antd's matching locale. */
export function LocaleProvider({ children }: { children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>(storedLocale);
  const setLocale = useCallback((l: Locale) => {
    storeLocale(l);
    setLocaleState(l);
  }, []);
  useEffect(() => {
    document.documentElement.lang = locale;
    document.title = translate(locale, 'app.title');
  }, [locale]);
  const value = useMemo<LocaleState>(
    () => ({ locale, setLocale, t: (key, vars) => translate(locale, key, vars) }),
    [locale, setLocale],
  );
  return (
    <LocaleContext.Provider value={value}>
      <ConfigProvider locale={locale === 'en-US' ? enUS : zhCN} theme={THEME}>
        {children}
      </ConfigProvider>
    </LocaleContext.Provider>
  );
}

export function useLocale(): LocaleState {
  const v = useContext(LocaleContext);
  if (!v) throw new Error('useLocale outside LocaleProvider');
  return v;
}

export function useT(): LocaleState['t'] {
  return useLocale().t;
}
