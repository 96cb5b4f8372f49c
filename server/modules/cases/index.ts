/** Cases: filing, intake, parallel review, time limits, life events, efficiency watch, uploads. */
export { casesRoutes } from './cases.routes.js';
export { fileCase, act, getCase, myCases, onCaseConcluded, type ConcludedCase } from './cases.service.js';
export { workbench, publicProgress, alerts, departmentFigures, escalate, sweep } from './cases.queries.js';
export { applyLifeEvent, getLifeEventApplication } from './life-events.service.js';
export { saveUpload, MAX_UPLOAD_BYTES } from './uploads.service.js';
export { checkStorage } from './uploads.storage.js';
