import { Field, Float, ObjectType } from 'type-graphql';
import { WorkKind } from './school.entity';

@ObjectType('SchoolWorkKindWeight')
export class SchoolWorkKindWeightType {
  @Field(() => WorkKind) workKind: WorkKind;
  @Field(() => Float) weight: number;
}
