import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import type { DataSource } from 'typeorm';
import { instantForm, resolveRange } from '@switchboard/reporting';
import { ApiError } from '../core/api-error';

export const INSTANT_FORMS =
  '`2026-12-01` (midnight in REPORT_TIME_ZONE), `2026-12-01T08:00` (wall-clock time there) or ' +
  '`2026-12-01T07:00:00Z` / `…+01:00` (that instant)';

/** `from` and `to` of a query string, read by `readRange`. */
export class RangeDto {
  @ApiPropertyOptional({ description: `start, inclusive: ${INSTANT_FORMS}; default the start of today` })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  from?: string;
  @ApiPropertyOptional({ description: `end, exclusive: ${INSTANT_FORMS}; default now` })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  to?: string;
}

function instant(name: 'from' | 'to', value: string | undefined) {
  if (value === undefined) return null;
  const form = instantForm(value);
  if (!form) throw ApiError.badRequest(`invalid ${name}`, [{ field: name, message: `must be ${INSTANT_FORMS}` }]);
  return { value, form };
}

/** `from` and `to` of a query as instants (400 naming the one that is not of a known form, or `to` before `from`). */
export async function readRange(
  dataSource: DataSource,
  timeZone: string,
  from: string | undefined,
  to: string | undefined,
): Promise<{ from: Date; to: Date }> {
  const range = await resolveRange(dataSource, timeZone, instant('from', from), instant('to', to));
  if (range.from >= range.to) throw ApiError.badRequest('invalid to', [{ field: 'to', message: 'must be after from' }]);
  return range;
}
