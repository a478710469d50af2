export { CONFIG, DATA_SOURCE, ENDPOINTS, LOGGER, TEMPORAL_CLIENT } from '@switchboard/runtime';
