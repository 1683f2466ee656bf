import { Body, Controller, Get, HttpCode, Inject, Post } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { swedishDate } from '@samverkan/domain/calendar';
import { isUnsafeCategory } from '@samverkan/domain/citizen-dialogue/unsafe-places';
import { rejected } from '@samverkan/domain/domain-error';
import {
  CITIZEN_DIALOGUE_SUBMISSIONS,
  type CitizenDialogueSubmissions,
} from '@samverkan/event-store/citizen-dialogue.port';
import type { Clock } from '@samverkan/shared/clock';
import { Public } from '../auth/public.decorator';
import { RateLimitOf } from '../auth/rate-limit.guard';
import { CLOCK } from '../commands/request-meta';
import { PlacesRegister } from '../places/places-register';
import { citizenDialogueConfig } from './citizen-dialogue-config';
import { PublicPlaces, UnsafePlaceDto, UnsafePlaceReceipt } from './citizen-dialogue.dto';

/**
 * "Här känner jag mig otrygg", without signing in: the registered places a resident picks from,
 * and the submission of one place and one category. The client address is counted, as a digest
 * that changes daily, under a stricter limit of this form's own; it is never stored with the
 * submission, nor anywhere else.
 */
@ApiTags('citizen dialogue (public)')
@Public()
@Controller('public')
export class UnsafePlacesController {
  private readonly config = citizenDialogueConfig();

  constructor(
    @Inject(CITIZEN_DIALOGUE_SUBMISSIONS) private readonly submissions: CitizenDialogueSubmissions,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly places: PlacesRegister,
  ) {}

  @Get('places')
  @ApiOperation({
    summary:
      'The registered places a resident may pick from: name and approximate position only (no sign-in)',
  })
  @ApiOkResponse({ type: PublicPlaces })
  async list(): Promise<PublicPlaces> {
    const { places } = await this.places.state();
    return {
      items: [...places.values()]
        .map((p) => ({
          placeId: p.placeId,
          name: p.name,
          position: { latitude: p.position.latitude, longitude: p.position.longitude },
        }))
        .sort((a, b) => a.name.localeCompare(b.name, 'sv')),
    };
  }

  @Post('unsafe-places')
  @HttpCode(202)
  @RateLimitOf({
    bucket: 'unsafe-place',
    perAddress: (env) => citizenDialogueConfig(env).perAddressPerHour,
    windowSeconds: 3600,
  })
  @ApiOperation({
    summary:
      'A resident feels unsafe at a registered place, for a reason from the list: it waits for the safety coordinator (no sign-in; nothing about the sender is stored)',
  })
  @ApiAcceptedResponse({ type: UnsafePlaceReceipt })
  @ApiUnprocessableEntityResponse({
    description: 'Not a place of the register, or not a category of the list: nothing stored',
  })
  @ApiTooManyRequestsResponse({ description: 'Too many submissions from one address this hour' })
  async submit(@Body() body: UnsafePlaceDto): Promise<UnsafePlaceReceipt> {
    const category = body.category;
    if (!isUnsafeCategory(category)) {
      throw rejected(
        'CITIZEN_DIALOGUE.UNKNOWN_CATEGORY',
        'Choose a category of the list (GET /api/docs names them)',
      );
    }
    const place = (await this.places.state()).places.get(body.placeId);
    if (!place) {
      throw rejected(
        'CITIZEN_DIALOGUE.UNKNOWN_PLACE',
        'Choose a place of the register (GET /api/public/places)',
      );
    }
    const receivedOn = swedishDate(this.clock.now());
    await this.submissions.add({ placeId: place.placeId, category, receivedOn });
    return {
      receivedOn,
      placeId: place.placeId,
      placeName: place.name,
      category,
      keptDays: this.config.retentionDays,
    };
  }
}
