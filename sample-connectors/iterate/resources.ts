import { CaptureError, Resource, Snapshot, type CaptureContext } from 'estuary-cdk';
import { IterateApi } from './api';
import { FullRefreshResource } from './models';

/** All surveys, re-read every interval; rows that disappear become deletions. */
@Resource({ name: 'surveys', document: FullRefreshResource, interval: 'PT5M' })
export class Surveys {
  constructor(private readonly api: IterateApi) {}

  @Snapshot()
  async *all(ctx: CaptureContext): AsyncIterable<FullRefreshResource> {
    yield* await this.api.surveys(ctx.signal);
  }
}

/** Every response of every survey, survey by survey in the order the API lists them. */
@Resource({ name: 'survey_responses', document: FullRefreshResource, interval: 'PT5M' })
export class SurveyResponses {
  constructor(private readonly api: IterateApi) {}

  @Snapshot()
  async *all(ctx: CaptureContext): AsyncIterable<FullRefreshResource> {
    for (const survey of await this.api.surveys(ctx.signal)) {
      const id = survey.id;
      if (typeof id !== 'string' || id === '') throw new CaptureError(`a survey has no string id (fields: ${Object.keys(survey).join(', ')})`);
      yield* this.api.responses(id, ctx);
    }
  }
}
