/**
 * The resource registry: one line per resource file. Adding a resource is its file plus its line
 * here; index.ts collects every HaloResource these modules export.
 */
export * from './agent';
export * from './appointment';
export * from './asset';
export * from './attachment';
export * from './client';
export * from './contract';
export * from './crmNote';
export * from './customApiCall';
export * from './invoice';
export * from './item';
export * from './kbArticle';
export * from './lookup';
export * from './opportunity';
export * from './project';
export * from './purchaseOrder';
export * from './quotation';
export * from './recurringInvoice';
export * from './report';
export * from './salesOrder';
export * from './site';
export * from './softwareLicence';
export * from './supplier';
export * from './ticket';
export * from './ticketAction';
export * from './timeEntry';
export * from './timesheet';
export * from './user';
export * from './webhook';
