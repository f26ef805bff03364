/**
 * The ids Slack sends back: buttons' action_id prefixes (a `:n` suffix keeps them unique in a message),
 * the confirmation modal's callback_id and its input. A button's value is only ever a stored id.
 */
export const actionIds = {
  /** Opens the confirmation modal; value = proposal id. */
  approve: 'why137_approve',
  /** Restores the before-state of an executed proposal; value = proposal id. */
  rollback: 'why137_rollback',
  /** Runs the diagnosis again for an incident's target; value = incident id. */
  rediagnose: 'why137_rediagnose',
  /** The confirmation modal (private_metadata = proposal id). */
  confirmView: 'why137_confirm',
  /** The modal's editable value: block_id and the input's action_id. */
  valueBlock: 'why137_value',
  valueInput: 'value',
} as const;
