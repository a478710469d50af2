import { Controller, Get, Inject } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { DataSource } from 'typeorm';
import { queryRows } from '@switchboard/persistence';
import { DATA_SOURCE } from '../core/tokens';

/** Whom an interaction can be transferred to: every role may read it (no secrets, no configuration). */
@ApiTags('agents')
@ApiBearerAuth()
@Controller('api/directory')
export class DirectoryController {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  @Get()
  @ApiOkResponse({
    description: '`workgroups` (`id`, `name`) and `agents` (`id`, `username`, `displayName`, `status`, `workgroupIds`)',
  })
  async directory() {
    const [workgroups, agents] = await Promise.all([
      queryRows<{ id: string; name: string }>(this.dataSource, 'SELECT id, name FROM workgroups ORDER BY name'),
      queryRows<{ id: string; username: string; display_name: string; status: string; workgroup_ids: string[] }>(
        this.dataSource,
        `SELECT id, username, display_name, status, workgroup_ids FROM users
          WHERE 'agent' = ANY(roles) ORDER BY display_name`,
      ),
    ]);
    return {
      workgroups,
      agents: agents.map((a) => ({
        id: a.id,
        username: a.username,
        displayName: a.display_name,
        status: a.status,
        workgroupIds: a.workgroup_ids,
      })),
    };
  }
}
