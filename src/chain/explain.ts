/**
 * Advice for the runtime errors a podium user meets, keyed by `section.Name` as the metadata
 * names them. Pure lookups: the texts say what happened in podium's terms and what to do.
 */

const MODULE_ERRORS: Readonly<Record<string, string>> = {
  'subtensorModule.SettingWeightsTooFast':
    'the hotkey set weights less than WeightsSetRateLimit blocks ago; wait and publish again (publish-weights checks LastUpdate first)',
  'subtensorModule.CommittingWeightsTooFast':
    'the hotkey committed weights less than WeightsSetRateLimit blocks ago; wait and publish again',
  'subtensorModule.CommitRevealEnabled':
    'the subnet requires commit-reveal, so set_weights is refused; publish-weights uses commit_weights then',
  'subtensorModule.CommitRevealDisabled':
    'the subnet does not use commit-reveal; set weights directly',
  'subtensorModule.NeuronNoValidatorPermit':
    'the validator hotkey has no validator permit on this subnet yet (permits are given at each epoch by stake)',
  'subtensorModule.IncorrectWeightVersionKey':
    "the version key is below the subnet's WeightsVersionKey; upgrade podium",
  'subtensorModule.HotKeyNotRegisteredInSubNet':
    'the signing hotkey is not registered on this subnet; register it (btcli subnet register) or use the right key',
  'subtensorModule.NotEnoughStakeToSetWeights':
    'the validator hotkey has less stake than the subnet requires',
  'subtensorModule.WeightVecLengthIsLow': "fewer weights than the subnet's MinAllowedWeights",
  'subtensorModule.MaxWeightExceeded': "a weight exceeds the subnet's MaxWeightsLimit",
  'subtensorModule.RevealTooEarly':
    'the reveal epoch has not started; reveal during epoch commit + RevealPeriodEpochs',
  'subtensorModule.ExpiredWeightCommit': 'the reveal window passed; commit again',
  'subtensorModule.InvalidRevealCommitHashNotMatch':
    'the revealed weights or salt differ from the committed hash',
  'subtensorModule.NoWeightsCommitFound': 'there is no pending weight commit for this hotkey',
  'subtensorModule.NetworkTxRateLimitExceeded':
    'subnets were registered too recently (NetworkRateLimit); on the local chain set it to 0 via sudo',
  'commitments.SpaceLimitExceeded':
    'the hotkey used up its commitment space for this epoch (rate limit: MaxSpace bytes per tempo, ≥ 100 per commitment); wait for the next epoch and commit again',
  'commitments.AccountNotAllowedCommit':
    'the hotkey is not registered on this subnet, and only registered hotkeys may commit; register it first',
  'commitments.TooManyFieldsInCommitmentInfo':
    'the commitment has more fields than the runtime allows',
  'balances.InsufficientBalance': 'the signing account has too little free balance',
};

/** Advice for a module error (`section.Name`), or undefined when podium has none. */
export function explainModuleError(name: string): string | undefined {
  return MODULE_ERRORS[name];
}

const CUSTOM_INVALID: Readonly<Record<number, string>> = {
  1: 'the hotkey has too little stake for this call (StakeThreshold)',
  2: 'the balance is too low',
  3: 'the subnet does not exist',
  4: 'the hotkey account does not exist',
  6: 'a rate limit was hit; wait and send again',
  10: 'the hotkey is not registered on this subnet',
  255: 'the runtime refused the request as malformed',
};

/** Advice for Subtensor's `InvalidTransaction::Custom(code)`, or undefined. */
export function explainCustomInvalid(code: number): string | undefined {
  return CUSTOM_INVALID[code];
}
