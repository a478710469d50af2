export * from './interaction.activities';
