import { ApiProperty } from '@nestjs/swagger';

export class WrittenEvent {
  @ApiProperty() eventId!: string;
  @ApiProperty() type!: string;
  @ApiProperty() revision!: number;
  @ApiProperty() globalPosition!: number;
}

/**
 * What every write answers: the stream revision it produced (send it back as If-Match to
 * write on top of what you saw) and the global position (wait for it on a read model).
 */
export class WriteResult {
  @ApiProperty() streamId!: string;
  @ApiProperty() streamRevision!: number;
  @ApiProperty() globalPosition!: number;
  @ApiProperty({ type: [WrittenEvent] }) events!: WrittenEvent[];
  @ApiProperty({ required: false, description: 'The id of what the command created' })
  id?: string;
}
