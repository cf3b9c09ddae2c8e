// The OTA lifecycle in the core: the typed client, the monitor, the guard and promotion, diagnosis, rollouts and
// control. Shells (CLI, extension) import from here.
export * from './client';
export * from './control';
export * from './deviceList';
export * from './diagnosis';
export * from './doctor';
export * from './firmwareJobs';
export * from './groups';
export * from './guard';
export * from './monitor';
export * from './monitorPlan';
export * from './nextSteps';
export * from './preview';
export * from './reach';
export * from './promotion';
export * from './requests';
export * from './rollout';
export * from './rules';
export * from './types';
export * from './inventory';
