export * from './interaction.workflow';
export * from './x-poller.workflow';
