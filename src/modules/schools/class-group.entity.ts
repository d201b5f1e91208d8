import { Field, Int, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import { SourceDeletable } from '../../db/school-owned';
import { TermKind } from './academic-year.entity';

@ObjectType({ description: 'A class such as "5А": grade level 5, letter А, in one academic year.' })
@Entity('class_group')
export class ClassGroup extends SourceDeletable {
  @Column('uuid') academicYearId: string;
  @Field(() => Int) @Column('smallint') gradeLevel: number;
  @Field() @Column('text') letter: string;
  /** A column the database generates from grade level and letter. */
  @Field({ description: 'Grade level and letter, e.g. "5А".' }) @Column({ type: 'text', insert: false, update: false })
  name: string;
  @Field(() => TermKind, { description: 'How this class divides the year into terms.' }) @Column('text') termKind: TermKind;
  @Column('uuid', { nullable: true }) homeroomTeacherId: string | null;
}

@ObjectType({ description: 'A subject taught to a class group (or to a subgroup of it) in one year, by one or more teachers.' })
@Entity('course')
export class Course extends SourceDeletable {
  @Column('uuid') classGroupId: string;
  @Column('uuid') subjectId: string;
  @Field({ description: 'Empty for the whole class; otherwise the subgroup, e.g. "группа 1".' }) @Column('text') subgroup: string;
  @Field(() => String, { nullable: true, description: 'The subject name as the source system calls it.' })
  @Column('text', { nullable: true })
  sourceSubjectName: string | null;
}

@Entity('course_teacher')
export class CourseTeacher {
  @PrimaryColumn('uuid') schoolId: string;
  @PrimaryColumn('uuid') courseId: string;
  @PrimaryColumn('uuid') staffId: string;
  @Column('text', { nullable: true }) sourceSystem: string | null;
  @Column('text', { nullable: true }) sourceId: string | null;
}

/** Membership of a subgroup course; whole-class courses take their students from enrollment. */
@Entity('course_student')
export class CourseStudent {
  @PrimaryColumn('uuid') schoolId: string;
  @PrimaryColumn('uuid') courseId: string;
  @PrimaryColumn('uuid') studentId: string;
  @Column('text', { nullable: true }) sourceSystem: string | null;
  @Column('text', { nullable: true }) sourceId: string | null;
}
