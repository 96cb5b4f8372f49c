/** Regions (GB/T 2260 tree of Hebei with 雄安新区) and their departments. */
export { regionsRoutes } from './regions.routes.js';
export {
  listRegions,
  getRegion,
  regionPath,
  listDepartments,
  getDepartment,
  findDepartmentByKind,
  createDepartment,
  loadRegionTree,
  ensureStandardDepartments,
  type DepartmentWithScope,
} from './regions.service.js';
export { HEBEI, XIONGAN, XIONGAN_COUNTIES } from './regions.data.js';
