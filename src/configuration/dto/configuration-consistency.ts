import { FieldProblem } from '../../common/domain-errors';
import { ConfigurationDto } from './configuration.dto';

/**
 * The rules of a configuration that span several fields, checked once each field is valid on
 * its own. Every problem names the later of two clashing fields and points at the earlier one.
 */
export function consistencyProblems(
  configuration: ConfigurationDto,
  pathAgentId: string,
): FieldProblem[] {
  return [
    ...agentIdProblems(configuration, pathAgentId),
    ...phoneNumberProblems(configuration),
    ...scheduleProblems(configuration),
    ...defaultScheduleProblems(configuration),
  ];
}

/** Where a schedule has no id of its own, its name serves as one. */
export function scheduleIdOf(schedule: { id?: string | null; name: string }): string {
  return schedule.id ?? schedule.name;
}

function agentIdProblems(configuration: ConfigurationDto, pathAgentId: string): FieldProblem[] {
  // A UUID's hex digits are the same in either case.
  if (configuration.agent_id.toLowerCase() === pathAgentId.toLowerCase()) {
    return [];
  }

  return [{ field: 'agent_id', problem: `must equal the agent_id of the path (${pathAgentId})` }];
}

function phoneNumberProblems(configuration: ConfigurationDto): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const firstIndexOfNumber = new Map<string, number>();
  let defaultIndex: number | null = null;

  configuration.phone_numbers.forEach((number, index) => {
    const earlierIndex = firstIndexOfNumber.get(number.phone_number);
    if (earlierIndex === undefined) {
      firstIndexOfNumber.set(number.phone_number, index);
    } else {
      problems.push({
        field: `phone_numbers[${index}].phone_number`,
        problem: `duplicates phone_numbers[${earlierIndex}]`,
      });
    }

    if (number.is_default && defaultIndex !== null) {
      problems.push({
        field: `phone_numbers[${index}].is_default`,
        problem: `phone_numbers[${defaultIndex}] is the default already; at most one number may be`,
      });
    } else if (number.is_default) {
      defaultIndex = index;
    }
  });

  return problems;
}

function scheduleProblems(configuration: ConfigurationDto): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const firstIndexOfName = new Map<string, number>();
  const firstIndexOfId = new Map<string, number>();

  configuration.schedules.forEach((schedule, index) => {
    const earlierName = firstIndexOfName.get(schedule.name);
    const id = scheduleIdOf(schedule);
    const earlierId = firstIndexOfId.get(id);
    if (earlierName === undefined) {
      firstIndexOfName.set(schedule.name, index);
    } else {
      problems.push({
        field: `schedules[${index}].name`,
        problem: `duplicates the name of schedules[${earlierName}]`,
      });
    }
    if (earlierId === undefined) {
      firstIndexOfId.set(id, index);
    } else if (schedule.id !== undefined && schedule.id !== null) {
      problems.push({
        field: `schedules[${index}].id`,
        problem: `duplicates the id of schedules[${earlierId}]`,
      });
    } else if (earlierName === undefined) {
      // A clashing name was reported above; this catches a name equal to another's explicit id.
      problems.push({
        field: `schedules[${index}].name`,
        problem: `serves as the schedule's id, which duplicates the id of schedules[${earlierId}]`,
      });
    }
  });

  return problems;
}

function defaultScheduleProblems(configuration: ConfigurationDto): FieldProblem[] {
  const defaultId = configuration.default_schedule_id;
  if (defaultId === null) {
    return [];
  }
  const ids = configuration.schedules.map(scheduleIdOf);
  if (ids.includes(defaultId)) {
    return [];
  }

  return [
    {
      field: 'default_schedule_id',
      problem: `must be the id of one of the schedules (${describeIds(ids)})`,
    },
  ];
}

function describeIds(ids: string[]): string {
  const shown = ids.slice(0, 10).map((id) => JSON.stringify(id));

  return ids.length > shown.length ? `${shown.join(', ')}, ...` : shown.join(', ');
}
