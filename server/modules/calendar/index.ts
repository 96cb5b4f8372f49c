/** Working-day calendars per region (national schedule + local overrides) and the deadline API. */
export { calendarRoutes } from './calendar.routes.js';
export { calendarFor, deadline, setOverride } from './calendar.service.js';
