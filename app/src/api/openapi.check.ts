// The app's hand-written API types (types.ts) held to the ones generated from GET /api/openapi.json
// (openapi.d.ts, `npm run api-types`): `npm run typecheck` fails where they disagree. Nothing here
// runs; every line is a type that only compiles while the two agree.
import type { components, operations } from "./openapi";
import type * as App from "./types";

type Schemas = components["schemas"];
type Ok<T extends true> = T;
/** What the API sends (`Api`, never `never`: a misnamed operation) is readable as the app declares it. */
type Reads<Api, Mine> = [Api] extends [never] ? false : [Api] extends [Mine] ? true : false;
/** What the app sends (`Mine`) is a body the API accepts (`Api`). */
type Sends<Mine, Api> = [Mine] extends [Api] ? true : false;
/** Every field the app names is one the API has (types the app narrows, such as `pose`). */
type Known<Mine, Api> = [Exclude<keyof Mine, keyof Api>] extends [never]
  ? true
  : Exclude<keyof Mine, keyof Api>;
type Answer<Name extends keyof operations, Status extends number = 200> = operations[Name] extends {
  responses: { [S in Status]: { content: { "application/json": infer Body } } };
}
  ? Body
  : never;

export type Agreement = [
  // The models the app reads, whole.
  Ok<Reads<Schemas["Role"], App.Role>>,
  Ok<Reads<Schemas["SessionType"], App.SessionType>>,
  Ok<Reads<Schemas["SessionStatus"], App.SessionStatus>>,
  Ok<Reads<Schemas["AnalysisStatus"], App.AnalysisStatus>>,
  Ok<Reads<Schemas["FinalStatistics"], App.FinalStatistics>>,
  Ok<Reads<Schemas["SessionCreated"], App.SessionCreated>>,
  Ok<Reads<Schemas["ActiveSession"], App.ActiveSession>>,
  Ok<Reads<Schemas["GroupPublic"], App.GroupPublic>>,
  Ok<Reads<Schemas["GroupList"], App.GroupList>>,
  Ok<Reads<Schemas["MemberPublic"], App.MemberPublic>>,
  Ok<Reads<Schemas["MemberInvited"], App.MemberInvited>>,
  Ok<Reads<Schemas["LiveSessionStarted"], App.LiveSessionStarted>>,
  Ok<Reads<Schemas["LiveSessionEnded"], App.LiveSessionEnded>>,
  Ok<Reads<Schemas["InvitationPublic"], App.InvitationPublic>>,
  Ok<Reads<Schemas["InvitationList"], App.InvitationList>>,
  Ok<Reads<Schemas["InvitationAccepted"], App.InvitationAccepted>>,
  Ok<Reads<Schemas["OccurrenceList"], App.OccurrenceList>>,
  Ok<Reads<Schemas["DashboardStats"], App.DashboardStats>>,
  Ok<Reads<Schemas["SessionStats"], App.SessionStats>>,
  Ok<Reads<Schemas["CompletionCodePublic"], App.CompletionCodePublic>>,
  Ok<Reads<Schemas["DownloadList"], App.DownloadList>>,
  Ok<Reads<Schemas["PracticeStarted"], App.PracticeStarted>>,
  Ok<Reads<Schemas["AnswerValidation"], App.AnswerValidation>>,
  Ok<Reads<Schemas["PracticeSummary"], App.PracticeSummary>>,
  Ok<Reads<Schemas["AttachmentPublic"], App.AttachmentPublic>>,
  Ok<Reads<Schemas["AttachmentPage"], App.AttachmentPage>>,
  Ok<Reads<Schemas["UploadUrl"], App.UploadUrl>>,
  Ok<Reads<Schemas["Profile"], App.Profile>>,
  Ok<Reads<Schemas["NotificationList"], App.NotificationList>>,
  // The models the app reads with some fields narrowed: the field names agree.
  Ok<Known<App.SessionPublic, Schemas["SessionPublic"]>>,
  Ok<Known<App.NotePublic, Schemas["NotePublic"]>>,
  Ok<Known<App.SessionComparison, Schemas["SessionComparison"]>>,
  Ok<Known<App.NotificationPublic, Schemas["NotificationPublic"]>>,
  // Operations: what each answers is what the app reads from it.
  Ok<Reads<Answer<"createSession", 201>, App.SessionCreated>>,
  Ok<Reads<Answer<"getSessionStats">, App.SessionStats>>,
  Ok<Reads<Answer<"listGroups">, App.GroupList>>,
  Ok<Reads<Answer<"listOccurrences">, App.OccurrenceList>>,
  Ok<Reads<Answer<"startPracticeSession">, App.PracticeStarted>>,
  Ok<Reads<Answer<"getMyProfile">, App.Profile>>,
  // And the bodies the app sends are ones the API accepts.
  Ok<Sends<App.YogaSessionCreate, Schemas["YogaSessionCreate"]>>,
  Ok<Sends<App.CommentCreate, Schemas["CommentCreate"]>>,
  Ok<Sends<App.ProfileUpdate, Schemas["ProfileUpdate"]>>,
];
