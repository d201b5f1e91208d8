import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity } from 'typeorm';
import { LocalDate } from '../../graphql/scalars';
import { SourceDeletable } from '../../db/school-owned';

@ObjectType()
abstract class Person extends SourceDeletable {
  @Field() @Column('text') lastName: string;
  @Field() @Column('text') firstName: string;
  @Field(() => String, { nullable: true, description: 'Отчество.' }) @Column('text', { nullable: true }) middleName: string | null;

  @Field({ description: 'Фамилия И. О., e.g. "Иванов И. И."' })
  get shortName(): string {
    const initials = [this.firstName, this.middleName].filter(Boolean).map((n) => `${n![0]}.`).join(' ');
    return `${this.lastName} ${initials}`;
  }
}

export enum StaffPosition {
  TEACHER = 'teacher',
  DIRECTOR = 'director',
  DEPUTY_DIRECTOR = 'deputy_director',
  IT = 'it',
}
registerEnumType(StaffPosition, { name: 'StaffPosition' });

@ObjectType({ description: 'A member of a school’s staff.' })
@Entity('staff')
export class Staff extends Person {
  @Field(() => [StaffPosition]) @Column('text', { array: true }) positions: StaffPosition[];
  @Column('text', { nullable: true }) email: string | null;
  @Column('text', { nullable: true }) phone: string | null;
}

@ObjectType()
@Entity('student')
export class Student extends Person {
  @Column('date', { nullable: true }) birthDate: string | null;
}

@ObjectType({ description: 'A parent or other legal representative of a student.' })
@Entity('guardian')
export class Guardian extends Person {
  @Column('text', { nullable: true }) phone: string | null;
  @Column('text', { nullable: true }) email: string | null;
}

export enum GuardianRelation {
  MOTHER = 'mother',
  FATHER = 'father',
  LEGAL_GUARDIAN = 'legal_guardian',
}
registerEnumType(GuardianRelation, { name: 'GuardianRelation' });

@Entity('student_guardian')
export class StudentGuardian {
  @Column('uuid', { primary: true }) schoolId: string;
  @Column('uuid', { primary: true }) studentId: string;
  @Column('uuid', { primary: true }) guardianId: string;
  @Column('text') relation: GuardianRelation;
  @Column('text', { nullable: true }) sourceSystem: string | null;
  @Column('text', { nullable: true }) sourceId: string | null;
}

@ObjectType({ description: 'A student’s membership of a class group between two dates (the last day included).' })
@Entity('enrollment')
export class Enrollment extends SourceDeletable {
  @Column('uuid') studentId: string;
  @Column('uuid') classGroupId: string;
  @Field(() => LocalDate) @Column('date') startsOn: string;
  @Field(() => LocalDate, { nullable: true, description: 'Last day in the class; null while still enrolled.' })
  @Column('date', { nullable: true })
  endsOn: string | null;
}
