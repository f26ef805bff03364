/** The PagerDuty incident behind a diagnosis, as the thread header, the fallback message and the note need it. */
export interface PagerDutyIncidentRef {
  /** Q…/P… */
  id: string;
  number?: number;
  title: string;
  /** The incident in PagerDuty's web app. */
  url?: string;
  /** Service name (`service.summary`) and id. */
  service?: string;
  serviceId?: string;
  urgency?: string;
}
