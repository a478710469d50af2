import { Body, Controller, Get, HttpCode, Inject, Post, Req } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiProperty,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { Request } from 'express';
import { IsString, MaxLength, MinLength } from 'class-validator';
import type { DataSource } from 'typeorm';
import { queryOne } from '@switchboard/persistence';
import { ApiError } from '../core/api-error';
import { DATA_SOURCE } from '../core/tokens';
import { CurrentUser, Public } from './auth.decorators';
import type { Principal } from './principal';
import { clientAddress } from '../core/rate-limits';
import { AuthService } from './auth.service';

class LoginDto {
  @ApiProperty({ example: 'admin' }) @IsString() @MinLength(1) @MaxLength(100) username!: string;
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(200) password!: string;
}

class LoginResponse {
  @ApiProperty({
    description:
      'Bearer token for `Authorization: Bearer <token>` and `/ws?token=`. It stops working when it expires, and at ' +
      'once when its user is deleted, loses a role or changes password.',
  })
  token!: string;
  @ApiProperty({ description: 'seconds until the token expires (TOKEN_TTL_SECONDS, 12 h by default)' })
  expiresIn!: number;
}

@ApiTags('auth')
@Controller('api/auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
  ) {}

  /** Who the token is for, as of now: what a page reloaded with a kept token needs to draw itself. */
  @Get('me')
  @ApiOkResponse({ description: '`id`, `username`, `displayName`, `roles` (current, not as the token was issued)' })
  async me(@CurrentUser() user: Principal) {
    const row = await queryOne<{ display_name: string }>(
      this.dataSource,
      'SELECT display_name FROM users WHERE id = $1',
      [user.id],
    );
    if (!row) throw ApiError.unauthorized('the user no longer exists');
    return { id: user.id, username: user.username, displayName: row.display_name, roles: user.roles };
  }

  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiOkResponse({ type: LoginResponse })
  @ApiUnauthorizedResponse({ description: 'wrong username or password' })
  @ApiTooManyRequestsResponse({
    description:
      'too many failed logins for this user name or from this address: try again after `Retry-After` seconds',
  })
  async login(@Body() body: LoginDto, @Req() request: Request) {
    return this.auth.login(body.username, body.password, clientAddress(request));
  }
}
