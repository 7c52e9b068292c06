import { ButtonStyle, ComponentType } from 'discord-api-types/v10';
import { customIdFor } from '../../custom-ids.ts';
import type { ActionRow } from '../../replies.ts';

/** [Use it] / [Create anyway] resumes the held task (the route of its Resume button); [Discard] deletes it. */
export function holdButtons(taskId: string, accept: string): ActionRow[] {
  return [
    {
      type: ComponentType.ActionRow,
      components: [
        {
          type: ComponentType.Button,
          style: ButtonStyle.Success,
          label: accept,
          custom_id: customIdFor({ kind: 'task', action: 'resume', taskId }),
        },
        {
          type: ComponentType.Button,
          style: ButtonStyle.Secondary,
          label: 'Discard',
          custom_id: customIdFor({ kind: 'cancel-confirm', taskId }),
        },
      ],
    },
  ];
}
