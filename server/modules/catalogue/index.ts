/** The service catalogue: Power, ServiceItem, ItemImplementation, LifeEvent, search, standardisation. */
export { catalogueRoutes } from './catalogue.routes.js';
export {
  draftItem,
  publishItem,
  getItem,
  getItemVersion,
  listItemVersions,
  draftImplementation,
  publishImplementation,
  getImplementation,
  getImplementationVersion,
  listImplementationVersions,
  getGuide,
  savePower,
  saveLifeEvent,
  listLifeEvents,
  getLifeEvent,
} from './catalogue.service.js';
export { searchItems } from './catalogue.search.js';
export { standardisationReport } from './catalogue.report.js';
export { applyCatalogue, type CatalogueBatch, type BatchResult } from './catalogue.batch.js';
export { formDataIssues, formSchemaIssues } from './catalogue.forms.js';
export { promisedDaysIssues } from './catalogue.policy.js';
export { setPilotLookup, setItemDraftCheck, type PilotLookup, type ItemDraftCheck } from './catalogue.hooks.js';
export { importCatalogue, exportCatalogue, type ImportOptions, type ExportedFile } from './catalogue.io.js';
