import type { ClassModel, CourseModel, StaffModel, WeekTimetable } from './school-model';
import type { Random } from './random';

const SCHOOL_DAYS_PER_WEEK = 5;
const ATTEMPTS = 30;

/**
 * Builds every class's weekly timetable: each subject's hours spread over the week (no subject twice a
 * day while another day is free of it), then each day's lessons put in an order in which none of
 * their teachers is booked elsewhere at that time. Returns how many lessons could not avoid a clash.
 */
export function buildTimetables(classes: readonly ClassModel[], staff: readonly StaffModel[], random: Random): number {
  const booked = new Map<StaffModel, Set<number>>();
  let clashes = 0;
  // Senior classes have the fullest days; placing them first leaves the others more room.
  for (const classGroup of [...classes].sort((a, b) => b.grade - a.grade)) {
    const week = bestWeek(classGroup, booked, random);
    classGroup.timetable = week.days;
    if (week.unplaced > 0) clashes += handOverClashingCourses(classGroup, staff, booked);
    week.days.forEach((slots, day) =>
      slots.forEach((unit, slot) => unit.forEach((course) => bookingsOf(booked, course.teacher).add(slotKey(day, slot)))));
  }
  return clashes;
}

/**
 * When no order of the week frees a teacher, a colleague of the same speciality who is free at all of
 * the course's lessons takes the course over. Returns the lessons that still clash.
 */
function handOverClashingCourses(classGroup: ClassModel, staff: readonly StaffModel[], booked: Map<StaffModel, Set<number>>): number {
  const slotsOf = (course: CourseModel) => classGroup.timetable.flatMap((slots, day) =>
    slots.flatMap((unit, slot) => (unit.includes(course) ? [slotKey(day, slot)] : [])));
  const busyInClass = (teacher: StaffModel) => new Set(classGroup.courses.filter((c) => c.teacher === teacher).flatMap(slotsOf));
  let clashes = 0;
  for (const course of classGroup.courses) {
    const slots = slotsOf(course);
    if (!slots.some((key) => booked.get(course.teacher)?.has(key))) continue;
    const colleague = staff.find((t) => t !== course.teacher && t.specialty === course.teacher.specialty
      && t.positions.includes('teacher') && slots.every((key) => !booked.get(t)?.has(key) && !busyInClass(t).has(key)));
    if (!colleague) {
      clashes += slots.filter((key) => booked.get(course.teacher)?.has(key)).length;
      continue;
    }
    course.teacher.weeklyHours -= course.subject.hours;
    colleague.weeklyHours += course.subject.hours;
    course.teacher = colleague;
  }
  return clashes;
}

/**
 * A few tries at spreading the class's subjects over the week; a try that leaves a clash is then
 * repaired by swapping lessons between days. The first clean week wins, else the one with fewest clashes.
 */
function bestWeek(classGroup: ClassModel, booked: Map<StaffModel, Set<number>>, random: Random): { days: WeekTimetable; unplaced: number } {
  let best: { days: WeekTimetable; unplaced: number } | null = null;
  for (let attempt = 0; attempt < ATTEMPTS && best?.unplaced !== 0; attempt++) {
    const units = spreadOverWeek(unitsOf(classGroup), booked, random);
    const ordered = units.map((dayUnits, day) => orderDay(dayUnits, day, booked, random));
    repairBySwapping(units, ordered, booked, random);
    const unplaced = ordered.reduce((sum, day) => sum + day.unplaced, 0);
    if (!best || unplaced < best.unplaced) best = { days: ordered.map((day) => day.slots), unplaced };
  }
  return best!;
}

type OrderedDay = ReturnType<typeof orderDay>;

/**
 * Moves a lesson off a day with a clash to another day, or swaps it for one of that day's lessons,
 * as long as that lowers the clashes and the days stay as evenly filled as before.
 */
function repairBySwapping(units: CourseModel[][][], ordered: OrderedDay[], booked: Map<StaffModel, Set<number>>, random: Random): void {
  const lessons = units.reduce((sum, day) => sum + day.length, 0);
  const [fewest, most] = [Math.floor(lessons / units.length), Math.ceil(lessons / units.length)];
  const tryChange = (day: number, other: number, change: () => void, undo: () => void): boolean => {
    change();
    const [first, second] = [orderDay(units[day], day, booked, random), orderDay(units[other], other, booked, random)];
    if (first.unplaced + second.unplaced < ordered[day].unplaced + ordered[other].unplaced) {
      [ordered[day], ordered[other]] = [first, second];
      return true;
    }
    undo();
    return false;
  };
  for (let improved = true; improved;) {
    improved = false;
    for (let day = 0; day < units.length && !improved; day++) {
      if (ordered[day].unplaced === 0) continue;
      for (let other = 0; other < units.length && !improved; other++) {
        if (other === day) continue;
        const [here, there] = [units[day], units[other]];
        for (let i = 0; i < here.length && !improved; i++) {
          const a = here[i];
          if (there.includes(a)) continue;
          if (there.length < most && here.length > fewest) {
            improved = tryChange(day, other, () => (here.splice(i, 1), there.push(a)), () => (there.pop(), here.splice(i, 0, a)));
          }
          for (let j = 0; j < there.length && !improved; j++) {
            const b = there[j];
            if (here.includes(b)) continue;
            improved = tryChange(day, other, () => ((here[i] = b), (there[j] = a)), () => ((here[i] = a), (there[j] = b)));
          }
        }
      }
    }
  }
}

/** A subject's courses of one class are taught at the same time: the whole class, or both language groups. */
function unitsOf(classGroup: ClassModel): { courses: CourseModel[]; hours: number }[] {
  const bySubject = new Map<string, CourseModel[]>();
  for (const course of classGroup.courses) {
    const list = bySubject.get(course.subject.code) ?? [];
    list.push(course);
    bySubject.set(course.subject.code, list);
  }
  return [...bySubject.values()].map((courses) => ({ courses, hours: courses[0].subject.hours }));
}

/**
 * Deals each subject's hours out to the days with the fewest lessons so far, preferring a day without
 * that subject yet and, among those, one on which its teachers have the most free slots.
 */
function spreadOverWeek(
  units: { courses: CourseModel[]; hours: number }[],
  booked: Map<StaffModel, Set<number>>,
  random: Random,
): CourseModel[][][] {
  const total = units.reduce((sum, unit) => sum + unit.hours, 0);
  const perDay = Math.ceil(total / SCHOOL_DAYS_PER_WEEK);
  const days: CourseModel[][][] = Array.from({ length: SCHOOL_DAYS_PER_WEEK }, () => []);
  const freeSlots = (courses: CourseModel[], day: number) => {
    let free = 0;
    for (let slot = 0; slot < perDay; slot++) if (courses.every((c) => !booked.get(c.teacher)?.has(slotKey(day, slot)))) free++;
    return free;
  };
  const ordered = random.shuffled(units).sort((a, b) => b.hours - a.hours);
  for (const unit of ordered) {
    for (let hour = 0; hour < unit.hours; hour++) {
      const open = days.map((_, d) => d).filter((d) => days[d].length < perDay);
      const fresh = open.filter((d) => !days[d].includes(unit.courses));
      const candidates = fresh.length > 0 ? fresh : open;
      const fewest = Math.min(...candidates.map((d) => days[d].length));
      const lightest = candidates.filter((d) => days[d].length === fewest);
      const mostFree = Math.max(...lightest.map((d) => freeSlots(unit.courses, d)));
      days[random.pick(lightest.filter((d) => freeSlots(unit.courses, d) === mostFree))].push(unit.courses);
    }
  }
  return days;
}

/** Matches a day's lessons to slots 1..n so that no teacher is in two places at once (Kuhn's matching). */
function orderDay(
  units: CourseModel[][],
  day: number,
  booked: Map<StaffModel, Set<number>>,
  random: Random,
): { slots: CourseModel[][]; unplaced: number } {
  const slotOrder = random.shuffled(units.map((_, slot) => slot));
  const unitInSlot: (number | undefined)[] = [];
  const fits = (unit: number, slot: number) => units[unit].every((course) => !booked.get(course.teacher)?.has(slotKey(day, slot)));
  const place = (unit: number, seen: Set<number>): boolean => {
    for (const slot of slotOrder) {
      if (seen.has(slot) || !fits(unit, slot)) continue;
      seen.add(slot);
      const holder = unitInSlot[slot];
      if (holder === undefined || place(holder, seen)) {
        unitInSlot[slot] = unit;
        return true;
      }
    }
    return false;
  };
  const unplacedUnits = random.shuffled(units.map((_, unit) => unit)).filter((unit) => !place(unit, new Set()));
  // A clash that matching cannot avoid: the lesson still takes place, in a free slot.
  const freeSlots = units.map((_, slot) => slot).filter((slot) => unitInSlot[slot] === undefined);
  unplacedUnits.forEach((unit, i) => (unitInSlot[freeSlots[i]] = unit));
  return { slots: units.map((_, slot) => units[unitInSlot[slot]!]), unplaced: unplacedUnits.length };
}

function slotKey(day: number, slot: number): number {
  return day * 16 + slot;
}

function bookingsOf(booked: Map<StaffModel, Set<number>>, teacher: StaffModel): Set<number> {
  let set = booked.get(teacher);
  if (!set) booked.set(teacher, (set = new Set()));
  return set;
}
