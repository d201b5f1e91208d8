import { Field, ID, ObjectType } from 'type-graphql';
import { toApiId } from '../common/ids';
import { Column, CreateDateColumn, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/**
 * Columns every school-owned row has: the school in its key (DESIGN rule 2), the origin of a synced
 * row (rule 3), and timestamps.
 */
@ObjectType()
export abstract class SchoolOwned {
  @PrimaryColumn('uuid') schoolId: string;
  @PrimaryColumn('uuid') id: string;
  @Field(() => String, { nullable: true, description: 'The system this row was synced from; null when entered in the hub.' })
  @Column('text', { nullable: true })
  sourceSystem: string | null;
  @Field(() => String, { nullable: true, description: "The row's id in its source system." })
  @Column('text', { nullable: true })
  sourceId: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;

  @Field(() => ID, { name: 'id', description: 'Opaque id, unique in the hub.' })
  get apiId(): string {
    return toApiId(this);
  }
}
