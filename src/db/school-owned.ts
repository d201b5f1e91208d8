import { Field, ID, ObjectType } from 'type-graphql';
import { toApiId } from '../common/ids';
import { Column, CreateDateColumn, DeleteDateColumn, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** A row keyed by its school and its own id (DESIGN rule 2), known to the API by one opaque id. */
@ObjectType()
export abstract class SchoolKeyed {
  @PrimaryColumn('uuid') schoolId: string;
  @PrimaryColumn('uuid') id: string;

  @Field(() => ID, { name: 'id', description: 'Opaque id, unique in the hub.' })
  get apiId(): string {
    return toApiId(this);
  }
}

/** Columns every row of the canonical model has besides its key: the origin of a synced row (rule 3), and timestamps. */
@ObjectType()
export abstract class SchoolOwned extends SchoolKeyed {
  @Field(() => String, { nullable: true, description: 'The system this row was synced from; null when entered in the hub.' })
  @Column('text', { nullable: true })
  sourceSystem: string | null;
  @Field(() => String, { nullable: true, description: "The row's id in its source system." })
  @Column('text', { nullable: true })
  sourceId: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
}

/**
 * A row other rows refer to (a student, a class, a lesson…). When its source system deletes it, it is
 * kept and marked, and reads leave it out: TypeORM's finds and query builders skip it by themselves;
 * hand-written SQL says `deleted_in_source_at IS NULL`.
 */
@ObjectType()
export abstract class SourceDeletable extends SchoolOwned {
  @DeleteDateColumn({ type: 'timestamptz', name: 'deleted_in_source_at' }) deletedInSourceAt: Date | null;
}
