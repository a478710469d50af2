import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiProperty,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { Request } from 'express';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { Public } from './auth.decorators';
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
  constructor(private readonly auth: AuthService) {}

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
