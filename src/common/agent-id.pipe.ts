import { Injectable, PipeTransform } from '@nestjs/common';
import { isUUID } from 'class-validator';
import { InvalidRequestError } from './domain-errors';

/** The `agent_id` path parameter: a uuid, reported by that field name when it is not. */
@Injectable()
export class AgentIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!isUUID(value)) {
      throw InvalidRequestError.single('agent_id', 'must be a uuid');
    }

    return value;
  }
}
