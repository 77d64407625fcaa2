import { ApiProperty } from '@nestjs/swagger';

export class ListedNumberDto {
  @ApiProperty({ example: '+12125550100', description: 'The number in E.164 form.' })
  phone_number!: string;

  @ApiProperty({ enum: [true] })
  listed!: true;

  static of(phoneNumber: string): ListedNumberDto {
    return { phone_number: phoneNumber, listed: true };
  }
}
