import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiOkResponse,
  ApiBearerAuth,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  IsBoolean,
  IsEnum,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { InteractionState, InteractionType, Platform, Role, Visibility } from '@switchboard/contracts';
import { CurrentUser, Roles } from '../auth/auth.decorators';
import type { Principal } from '../auth/principal';
import { IdPipe } from '../core/id.pipe';
import { InteractionsService } from './interactions.service';

class InteractionQueryDto {
  @ApiPropertyOptional({ enum: InteractionState }) @IsOptional() @IsEnum(InteractionState) state?: InteractionState;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() workgroupId?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'supervisors: only this agent’s' })
  @IsOptional()
  @IsUUID()
  agentId?: string;
  @ApiPropertyOptional({ enum: Platform }) @IsOptional() @IsEnum(Platform) platform?: Platform;
  @ApiPropertyOptional({ enum: InteractionType }) @IsOptional() @IsEnum(InteractionType) type?: InteractionType;
  @ApiPropertyOptional({ description: 'only interactions assigned to me (always so for agents)' })
  @IsOptional()
  @Transform(({ value }) => value === 'true' || value === true)
  @IsBoolean()
  mine?: boolean;
  @ApiPropertyOptional({ default: 100, maximum: 500 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}

export class ReplyDto {
  @ApiProperty({ example: 'Sorry to hear that! Could you share your order number?' })
  @IsString()
  @MinLength(1)
  @MaxLength(10000)
  text!: string;
  @ApiProperty({ enum: Visibility, description: 'public: on the thread; private: Messenger / X DM' })
  @IsEnum(Visibility)
  visibility!: Visibility;
}

export class WrapUpDto {
  @ApiPropertyOptional({
    example: 'resolved',
    description: "one of the workgroup's codes; may be left out unless the workgroup requires one",
  })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(50)
  code?: string;
}

export class TransferDto {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() workgroupId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() agentId?: string;
}

export class AssignDto {
  @ApiProperty({ format: 'uuid', description: 'the agent to offer it to' }) @IsUUID() agentId!: string;
}

@ApiTags('interactions')
@ApiBearerAuth()
@Controller('api/interactions')
export class InteractionsController {
  constructor(private readonly interactions: InteractionsService) {}

  @Get()
  async list(@CurrentUser() user: Principal, @Query() query: InteractionQueryDto) {
    return this.interactions.list(user, query);
  }

  @Get(':id')
  @ApiOkResponse({
    description:
      'The interaction (`endReason` "abandoned" when the customer deleted the thread while it waited), its whole ' +
      'thread in `messages[]` and the customer with earlier interactions. A message has `direction` (inbound: the ' +
      "customer; outbound: ours), `external` (outbound written outside Switchboard, e.g. in Meta's Page Inbox), " +
      '`text` with earlier versions in `revisions[]`, `attachments[]` ({type, url}), `deletedAt`, `hiddenAt` (hidden ' +
      'by a Page moderator) and, for replies, `deliveryStatus` / `deliveryError`.',
  })
  async get(@CurrentUser() user: Principal, @Param('id', IdPipe) id: string) {
    return this.interactions.detail(user, id);
  }

  @Get(':id/standard-responses')
  @ApiOkResponse({
    description:
      "the standard responses of the interaction's workgroup (and those for every workgroup), `text` with " +
      '`{{customer.name}}`, `{{customer.handle}}` and `{{agent.name}}` filled in, `template` as written',
  })
  async standardResponses(@CurrentUser() user: Principal, @Param('id', IdPipe) id: string) {
    return this.interactions.standardResponses(user, id);
  }

  @Post(':id/accept')
  @HttpCode(200)
  async accept(@CurrentUser() user: Principal, @Param('id', IdPipe) id: string) {
    return this.interactions.accept(user, id);
  }

  @Post(':id/decline')
  @HttpCode(200)
  @ApiOkResponse({
    description:
      'the interaction, back in its queue: it is offered to the next eligible agent at once, not to you again ' +
      'while it waits there; your status stays as it is',
  })
  async decline(@CurrentUser() user: Principal, @Param('id', IdPipe) id: string) {
    return this.interactions.decline(user, id);
  }

  @Post(':id/assign')
  @HttpCode(200)
  @Roles(Role.SUPERVISOR, Role.ADMIN)
  @ApiOkResponse({
    description:
      'supervisors: offers a waiting interaction (queued, or offered to someone else, whose offer is withdrawn) to ' +
      'this agent, whatever their workgroups and skills; 409 when the agent is offline or has no free slot',
  })
  async assign(@CurrentUser() user: Principal, @Param('id', IdPipe) id: string, @Body() body: AssignDto) {
    return this.interactions.assign(user, id, body.agentId);
  }

  @Post(':id/replies')
  @HttpCode(202)
  @ApiAcceptedResponse({ description: 'the reply, deliveryStatus "pending"; it becomes "sent" or "failed"' })
  @ApiUnprocessableEntityResponse({
    description:
      "the platform's rules forbid this reply, nothing was sent; `details[0].rule`: `messenger-window` (the " +
      "customer's last Messenger message is over 7 days old), `awaiting-customer` (a private reply opened the " +
      'conversation; the customer has not answered), `private-reply-used` (one per comment), ' +
      '`private-reply-expired` (7 days after the comment), `nothing-to-answer` (the post was deleted), `too-long`',
  })
  async reply(@CurrentUser() user: Principal, @Param('id', IdPipe) id: string, @Body() body: ReplyDto) {
    return this.interactions.reply(user, id, body.text, body.visibility);
  }

  @Post(':id/disconnect')
  @HttpCode(200)
  @ApiOkResponse({ description: 'the connected agent, or a supervisor on any connected interaction: to wrap-up' })
  async disconnect(@CurrentUser() user: Principal, @Param('id', IdPipe) id: string) {
    return this.interactions.disconnect(user, id);
  }

  @Post(':id/wrapup')
  @HttpCode(200)
  async wrapUp(@CurrentUser() user: Principal, @Param('id', IdPipe) id: string, @Body() body: WrapUpDto) {
    return this.interactions.wrapUp(user, id, body.code ?? null);
  }

  @Post(':id/transfer')
  @HttpCode(200)
  @ApiOkResponse({
    description:
      'the connected agent, or a supervisor on any interaction: a connected one, or one still waiting (queued, or ' +
      "offered: that offer is withdrawn), into another workgroup's queue or reserved for one agent",
  })
  async transfer(@CurrentUser() user: Principal, @Param('id', IdPipe) id: string, @Body() body: TransferDto) {
    return this.interactions.transfer(user, id, body);
  }
}
