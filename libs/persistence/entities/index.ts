import { AccountEntity } from './account.entity';
import { ChannelEntity } from './channel.entity';
import { CustomerEntity } from './customer.entity';
import { InteractionEventEntity } from './interaction-event.entity';
import { InteractionEntity } from './interaction.entity';
import { MessageEntity } from './message.entity';
import { StandardResponseEntity } from './standard-response.entity';
import { UserEntity } from './user.entity';
import { WorkgroupEntity } from './workgroup.entity';
import { WrapUpCodeEntity } from './wrapup-code.entity';

export * from './account.entity';
export * from './channel.entity';
export * from './customer.entity';
export * from './interaction-event.entity';
export * from './interaction.entity';
export * from './message.entity';
export * from './standard-response.entity';
export * from './user.entity';
export * from './workgroup.entity';
export * from './wrapup-code.entity';

export const ENTITIES = [
  AccountEntity,
  ChannelEntity,
  CustomerEntity,
  InteractionEntity,
  InteractionEventEntity,
  MessageEntity,
  StandardResponseEntity,
  UserEntity,
  WorkgroupEntity,
  WrapUpCodeEntity,
];
