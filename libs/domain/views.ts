/** The read models live with the plan engine's capabilities (plan/views.ts). */
export * from './plan/views';
