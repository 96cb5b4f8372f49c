/**
 * Demo certificates (demo mode only; called from server/db/seed/demo.ts): the demo business holds
 * its 营业执照 and 食品经营许可证 from 长安区市场监督管理局, digitised through the import path so that
 * a second run finds them by their original numbers and adds nothing.
 */
import { AppError } from '../../../shared/errors.js';
import type { Ctx } from '../../core/ctx.js';
import { findDepartmentByKind } from '../regions/index.js';
import { importCertificates } from './certificates.service.js';

const BUSINESS = { kind: 'business' as const, creditCode: '91130102MA0DXQ7K30', name: '石家庄市长安区通办餐饮有限公司' };

export async function seedCertificatesDemo(ctx: Ctx): Promise<number> {
  const amr = await findDepartmentByKind(ctx, '130102', 'amr');
  if (!amr) throw new Error('demo seed: no amr department in 130102');
  let n = 0;
  const batches: { type: string; originalNo: string; fields: Record<string, string>; validUntil?: string }[] = [
    {
      type: 'business_licence',
      originalNo: 'DEMO-YYZZ-0001',
      fields: { legalRepresentative: '李四', entityType: '有限责任公司(自然人投资或控股)', registeredCapital: '50万元', establishedOn: '2019-06-18', address: '石家庄市长安区中山东路 100 号', businessScope: '餐饮服务；食品销售' },
    },
    {
      type: 'food_business_licence',
      originalNo: 'DEMO-SPJY-0001',
      fields: { legalRepresentative: '李四', premises: '石家庄市长安区中山东路 100 号', mainBusiness: '餐饮服务经营者', businessItems: '热食类食品制售', paperLicenceNo: 'JY21301020000001' },
      validUntil: '2029-06-17T16:00:00.000Z',
    },
  ];
  for (const b of batches) {
    try {
      await importCertificates(ctx, {
        type: b.type,
        issuerDepartmentId: amr.id,
        licences: [{ originalNo: b.originalNo, holder: BUSINESS, fields: b.fields, ...(b.validUntil ? { validUntil: b.validUntil } : {}) }],
      });
      n += 1;
    } catch (e) {
      if (!(e instanceof AppError && e.code === 'CONFLICT')) throw e;
    }
  }
  return n;
}
