/**
 * The `pipeline` block of a contest whose submissions are multi-graph pipelines (ADR 0182):
 * the roles and each role's IO signature, the driver that runs them, the knobs a miner may
 * set and their ranges, the caps on the submitted archive, and the fidelity rule's parts.
 */
import { Type } from '@sinclair/typebox';
import { Artifact, StringEnum } from '../schemas/builders.js';

const Tensor = Type.Object(
  {
    name: Type.String({ minLength: 1 }),
    elementType: StringEnum(['float32', 'float16', 'int64', 'int32', 'uint8']),
    shape: Type.Array(Type.Union([Type.Integer({ minimum: 1 }), Type.String({ minLength: 1 })])),
  },
  { additionalProperties: false },
);

const Role = Type.Object(
  {
    role: Type.String({ pattern: '^[a-z][a-z0-9-]{0,31}$', description: 'role name, unique' }),
    io: Type.Object(
      {
        inputs: Type.Array(Tensor, { minItems: 1 }),
        outputs: Type.Array(Tensor, { minItems: 1 }),
      },
      { additionalProperties: false },
    ),
  },
  {
    additionalProperties: false,
    description:
      "one graph of the pipeline: every submission's graph for this role must match its IO",
  },
);

const IntegerKnob = Type.Object(
  {
    name: Type.String({ pattern: '^[a-z][A-Za-z0-9]{0,31}$' }),
    type: Type.Literal('integer'),
    minimum: Type.Integer({ minimum: 1 }),
    maximum: Type.Integer({ minimum: 1 }),
    baseline: Type.Integer({ minimum: 1, description: "the baseline's value" }),
  },
  { additionalProperties: false },
);

const ChoiceKnob = Type.Object(
  {
    name: Type.String({ pattern: '^[a-z][A-Za-z0-9]{0,31}$' }),
    type: Type.Literal('choice'),
    values: Type.Array(Type.String({ minLength: 1 }), { minItems: 1, uniqueItems: true }),
    baseline: Type.String({ minLength: 1 }),
  },
  { additionalProperties: false },
);

export const PipelineSpec = Type.Object(
  {
    driver: StringEnum(['latent-ddim', 'sdxl-euler'], {
      description:
        'the TypeScript driver that runs the roles (docs/pipelines.md); sdxl-euler is declared for the reference contest and not run by this podium',
    }),
    roles: Type.Array(Role, { minItems: 1, maxItems: 16 }),
    knobs: Type.Array(Type.Union([IntegerKnob, ChoiceKnob]), {
      description: "what a submission's manifest may set, within these bounds",
    }),
    archive: Type.Object(
      {
        members: Type.Integer({
          minimum: 2,
          maximum: 64,
          description: 'most files in the archive',
        }),
        memberBytes: Type.Integer({ minimum: 1, description: 'largest file, bytes' }),
        totalBytes: Type.Integer({ minimum: 1, description: 'all files together, bytes' }),
      },
      { additionalProperties: false, description: 'caps checked before any member is written out' },
    ),
    imageSide: Type.Integer({ minimum: 1, description: 'side of the square generated image' }),
    fidelity: Type.Object(
      {
        ssimWeight: Type.Number({ minimum: 0, maximum: 1 }),
        semanticWeight: Type.Number({ minimum: 0, maximum: 1 }),
        classifier: Type.Object(
          {
            model: Artifact,
            input: Type.String({ minLength: 1 }),
            output: Type.String({ minLength: 1 }),
          },
          {
            additionalProperties: false,
            description:
              'the independent model (the CLIP stand-in) run by the parent on every generated image',
          },
        ),
        promptAgreement: Type.Number({
          exclusiveMinimum: 0,
          maximum: 1,
          description:
            "minimum share of images read as their prompt, as a fraction of the baseline's share on the same prompts and noise",
        }),
      },
      { additionalProperties: false },
    ),
  },
  {
    additionalProperties: false,
    description: 'pipeline contests: the graphs a submission archive holds and how they are run',
  },
);
