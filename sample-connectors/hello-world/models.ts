import { IsInt, IsOptional, IsString, Min } from 'class-validator';
import { BaseDocument, Default, Description, Title } from 'estuary-cdk';

/** Endpoint config: every field has a default, so `{}` is a valid config. */
export class EndpointConfig {
  @Title('Greeting')
  @Description('The word each greeting starts with.')
  @Default('Hello')
  @IsOptional()
  @IsString()
  greeting!: string;

  @Title('Greetings per checkpoint')
  @Description('How many greetings make one checkpoint.')
  @Default(5)
  @IsOptional()
  @IsInt()
  @Min(1)
  batch!: number;

  @Title('Stop after')
  @Description('The capture stops producing greetings once this count is reached (0 = never).')
  @Default(20)
  @IsOptional()
  @IsInt()
  @Min(0)
  limit!: number;
}

/** One greeting. */
export class Greeting extends BaseDocument {
  @IsInt() count!: number;
  @IsString() message!: string;
}
