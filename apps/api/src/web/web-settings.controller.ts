import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../auth/public.decorator';
import { webAppSettings, type MapTiles } from './web-app';

export interface WebSettings {
  readonly mapTiles: MapTiles | null;
}

/**
 * What the web app needs to know of the deployment before it draws anything: the map tiles it
 * may load (the same the Content Security Policy allows) and whom they credit. Nothing in it is
 * secret, so it answers without sign-in (the public pages draw maps too), and a browser may keep
 * it for a few minutes.
 */
@ApiTags('web app')
@Public()
@Controller('web-settings')
export class WebSettingsController {
  private readonly settings: WebSettings = { mapTiles: webAppSettings().mapTiles };

  @Get()
  @ApiOperation({
    summary:
      "The web app's settings: the map tiles' URL template and attribution, or null when the deployment draws maps without tiles (no sign-in)",
  })
  @ApiOkResponse({
    schema: {
      example: {
        mapTiles: {
          urlTemplate: 'https://tile.openstreetmap.org/{z}/{x}/{y}.png',
          attribution: {
            text: '© OpenStreetMap-bidragsgivare',
            url: 'https://www.openstreetmap.org/copyright',
          },
        },
      },
    },
  })
  read(@Res({ passthrough: true }) res: Response): WebSettings {
    res.setHeader('Cache-Control', 'public, max-age=300');
    return this.settings;
  }
}
