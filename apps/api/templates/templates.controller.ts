import { Controller, Get, NotFoundException, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { DomainError, admitCongress, invalidInput } from '../../../libs/domain';
import { instantiateTemplate } from '../../../libs/templates';
import { Authenticated } from '../auth/auth.decorators';
import { DryRunResponses, READ_SCHEMAS, ReadResponses } from '../common/api-docs';
import { SimulateTemplateQueryDto } from '../congresses/congress.dto';
import { simulateAdmitted } from '../congresses/congress-simulation';
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

  @Get(':templateId/simulate')
  @Authenticated('viewer', 'coordinator', 'approver')
  @ApiOperation({
    summary:
      "Simulate a template's plans for a congress day (as POST /congresses/simulate does): every task done on its " +
      'deadline, or lateDays late. Nothing is started',
  })
  @DryRunResponses(READ_SCHEMAS.simulation, { notFound: 'Unknown template' })
  simulate(@Param('templateId') templateId: string, @Query() query: SimulateTemplateQueryDto) {
    const template = this.catalogue.find(templateId);
    if (!template) {
      throw new NotFoundException(`no template "${templateId}"; GET /templates lists them`);
    }
    const made = instantiateTemplate(template, { id: `mo-phong-${template.id}`, startDate: query.congressDay });
    try {
      const congress = admitCongress(made.congress, made.plans, Date.now());
      return simulateAdmitted(congress, made.plans, { lateDays: query.lateDays });
    } catch (err) {
      // The caller named only the congress day: the congress's dates are that field.
      if (!(err instanceof DomainError)) throw err;
      throw invalidInput(
        err.issues.map((i) => ({ ...i, path: i.path.replace(/^congress\.(startDate|endDate)$/, 'congressDay') })),
      );
    }
  }
}
