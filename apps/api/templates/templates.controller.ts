import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated } from '../auth/auth.decorators';
import { READ_SCHEMAS, ReadResponses } from '../common/api-docs';
import { TemplateCatalogue } from './template-catalogue';

@ApiTags('templates')
@Controller('templates')
export class TemplatesController {
  constructor(private readonly catalogue: TemplateCatalogue) {}

  @Get()
  @Authenticated('viewer', 'coordinator', 'approver')
  @ApiOperation({
    summary: 'The congress templates POST /congresses/from-template accepts: their units, plans and scenarios',
  })
  @ReadResponses(READ_SCHEMAS.templates)
  list() {
    return this.catalogue.summaries();
  }
}
