import { InitialSchema1764000000000 } from './1764000000000-initial-schema';
import { TransferReservation1764000000001 } from './1764000000001-transfer-reservation';
import { Ingestion1764000000002 } from './1764000000002-ingestion';
import { RouteFunction1764000000003 } from './1764000000003-route-function';
import { AccountScope1764000000004 } from './1764000000004-account-scope';
import { SessionsAndLimits1764000000005 } from './1764000000005-sessions-and-limits';
import { Reporting1764000000006 } from './1764000000006-reporting';
import { Presence1764000000007 } from './1764000000007-presence';
import { DeclineAndAssign1764000000008 } from './1764000000008-decline-and-assign';
import { WaitingTransfer1764000000009 } from './1764000000009-waiting-transfer';

export const MIGRATIONS = [
  InitialSchema1764000000000,
  TransferReservation1764000000001,
  Ingestion1764000000002,
  RouteFunction1764000000003,
  AccountScope1764000000004,
  SessionsAndLimits1764000000005,
  Reporting1764000000006,
  Presence1764000000007,
  DeclineAndAssign1764000000008,
  WaitingTransfer1764000000009,
];
