import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { NotFoundError } from '../common/domain-errors';
import { DncService } from './dnc.service';
import { AddPhoneNumbersDto } from './dto/add-phone-numbers.dto';
import { BulkAddResultDto } from './dto/bulk-add-result.dto';
import { ListedNumberDto } from './dto/listed-number.dto';
import { parsePathPhoneNumber, parsePhoneNumberList } from './dto/phone-number-input';

const PHONE_NUMBER_PARAMETER = {
  name: 'phone_number',
  description: 'E.164, URL-encoded (`%2B12125550100`); spaces, dashes, dots and brackets allowed.',
  example: '%2B12125550100',
};

@ApiTags('do-not-call')
@ApiBearerAuth()
@ApiBadRequestResponse({ description: 'A phone number is not a valid E.164 number.' })
@Controller('outbound/dnc')
export class DncController {
  constructor(private readonly doNotCall: DncService) {}

  @Put(':phone_number')
  @HttpCode(200)
  @ApiOperation({ summary: 'Puts a number on the do-not-call list; listing it again is harmless.' })
  @ApiParam(PHONE_NUMBER_PARAMETER)
  @ApiOkResponse({ type: ListedNumberDto })
  async add(@Param('phone_number') text: string): Promise<ListedNumberDto> {
    const phoneNumber = parsePathPhoneNumber(text);

    await this.doNotCall.add(phoneNumber);

    return ListedNumberDto.of(phoneNumber);
  }

  @Get(':phone_number')
  @ApiOperation({ summary: 'Tells whether a number is on the do-not-call list (404 when not).' })
  @ApiParam(PHONE_NUMBER_PARAMETER)
  @ApiOkResponse({ type: ListedNumberDto })
  @ApiNotFoundResponse({ description: 'The number is not on the list.' })
  async find(@Param('phone_number') text: string): Promise<ListedNumberDto> {
    const phoneNumber = parsePathPhoneNumber(text);

    if (!(await this.doNotCall.isListed(phoneNumber))) {
      throw notListed(phoneNumber);
    }

    return ListedNumberDto.of(phoneNumber);
  }

  @Delete(':phone_number')
  @HttpCode(204)
  @ApiOperation({ summary: 'Takes a number off the do-not-call list.' })
  @ApiParam(PHONE_NUMBER_PARAMETER)
  @ApiNoContentResponse({ description: 'The number was on the list and is off it now.' })
  @ApiNotFoundResponse({ description: 'The number is not on the list.' })
  async remove(@Param('phone_number') text: string): Promise<void> {
    const phoneNumber = parsePathPhoneNumber(text);

    if (!(await this.doNotCall.remove(phoneNumber))) {
      throw notListed(phoneNumber);
    }
  }

  @Post()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Puts up to 100,000 numbers on the do-not-call list.',
    description: 'Every number is checked first: one bad number rejects the request, adding none.',
  })
  @ApiOkResponse({ type: BulkAddResultDto })
  async addMany(@Body() body: AddPhoneNumbersDto): Promise<BulkAddResultDto> {
    const phoneNumbers = await parsePhoneNumberList('phone_numbers', body.phone_numbers);

    const { added, alreadyListed } = await this.doNotCall.addMany(phoneNumbers);

    return { added, already_listed: alreadyListed };
  }
}

function notListed(phoneNumber: string): NotFoundError {
  return new NotFoundError(`${phoneNumber} is not on the do-not-call list.`);
}
