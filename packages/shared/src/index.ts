export * from './errors';
export * from './earning';
export * from './tiers';
export * from './lots';
export * from './member-code';
export * from './format';
export * from './clubs';
export * from './rewards';
