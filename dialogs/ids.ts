export const MAIN_DIALOG = 'mainDialog';
export const MAIN_WATERFALL = 'mainWaterfall';
export const ACTIVATION_DIALOG = 'activationDialog';
export const ACTIVATION_WATERFALL = 'activationWaterfall';
export const WEBMAIL_DIALOG = 'webmailDialog';
export const WEBMAIL_WATERFALL = 'webmailWaterfall';
export const ADDRESS_DIALOG = 'addressDialog';
export const ADDRESS_WATERFALL = 'addressWaterfall';
export const PASSWORD_DIALOG = 'passwordDialog';
export const PASSWORD_WATERFALL = 'passwordWaterfall';
export const YES_NO_PROMPT = 'yesNoPrompt';
export const WEBMAIL_NEXT_PROMPT = 'webmailNextPrompt';
export const NAME_PROMPT = 'namePrompt';
export const ADDRESS_PROMPT = 'addressPrompt';
export const PASSWORD_PROMPT = 'passwordPrompt';
export const PASSWORD_CONFIRM_PROMPT = 'passwordConfirmPrompt';
/**
 * Default locale of the prompts. botbuilder prefers activity.locale, which the French-locale middleware
 * forces to fr-FR whatever the client sends.
 */
export const LOCALE = 'fr-FR';
