import { useRegion } from './api';

/** 河北省 / 石家庄市 / 长安区 (130102); the bare code while loading or if unknown. */
export function RegionName({ code }: { code: string | null | undefined }) {
  const region = useRegion(code);
  if (!code) return <>—</>;
  if (!region.data) return <>{code}</>;
  return (
    <>
      {region.data.path.map((p) => p.name).join(' / ')} ({code})
    </>
  );
}
