import type { DeepPartial, FindOptionsOrder, FindOptionsWhere, ObjectLiteral, Repository } from 'typeorm';
import { ApiError } from '../core/api-error';
import { mapConstraintErrors } from './db-errors';

/** The configuration resources' common moves: 404 on an unknown id, 409 on a constraint, partial updates. */
export class EntityStore<E extends ObjectLiteral & { id: string }> {
  constructor(
    private readonly repo: Repository<E>,
    private readonly label: string,
  ) {}

  async find(id: string): Promise<E> {
    const found = await this.repo.findOneBy({ id } as FindOptionsWhere<E>);
    if (!found) throw ApiError.notFound(this.label, id);
    return found;
  }

  list(order: FindOptionsOrder<E>): Promise<E[]> {
    return this.repo.find({ order });
  }

  create(values: DeepPartial<E>): Promise<E> {
    return mapConstraintErrors(() => this.repo.save(this.repo.create(values)));
  }

  /** Applies the fields that are present (`undefined` means "leave as is") and saves. */
  async update(id: string, patch: Partial<E>): Promise<E> {
    const entity = await this.find(id);
    for (const [key, value] of Object.entries(patch)) {
      if (value !== undefined) (entity as Record<string, unknown>)[key] = value;
    }
    return mapConstraintErrors(() => this.repo.save(entity));
  }

  async remove(id: string): Promise<void> {
    await this.find(id);
    await mapConstraintErrors(() => this.repo.delete(id));
  }
}
