/** The `_meta.uuid` placeholder Flow's runtime writes into captured documents. */
export const DOC_UUID_PLACEHOLDER = 'DocUUIDPlaceholder-329Bb50aa48EAa9ef';
