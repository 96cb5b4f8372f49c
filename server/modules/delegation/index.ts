/** Delegation (权力下放): orders, takeOver (承接) tasks, floating (权力悬浮) detection, item links, Pilots (先行先试) and faultTolerance (容错). */
export { delegationRoutes } from './delegation.routes.js';
export { createDelegation, listDelegations, getDelegation, confirmTakeOver, createItemLink, listItemLinks } from './delegation.service.js';
export { listFloating, floatingHeatmap } from './delegation.floating.js';
export { createPilot, listPilots, recordFaultTolerance, pilotsInForce } from './delegation.pilots.js';
export { holdRevival } from './delegation.renaming.js';
export { setStaffCounter, type StaffCounter } from './delegation.hooks.js';
