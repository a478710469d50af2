import { InitialSchema1764000000000 } from './1764000000000-initial-schema';
import { TransferReservation1764000000001 } from './1764000000001-transfer-reservation';

export const MIGRATIONS = [InitialSchema1764000000000, TransferReservation1764000000001];
