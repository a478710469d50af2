export * from './interaction.workflow';
