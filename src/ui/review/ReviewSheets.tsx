import type { Session } from '../../app/session.ts';
import type { CardRecord } from '../../domain/types.ts';
import { CardActions, type CardAction } from '../cards/CardActions.tsx';
import { CardInfo } from '../cards/CardInfo.tsx';
import { Dialog } from '../common/Dialog.tsx';

export function CardInfoSheet({ session, card, onClose }: { session: Session; card: CardRecord; onClose(): void }) {
  return (
    <Dialog title="Card info" onClose={onClose}>
      <CardInfo session={session} card={card} />
    </Dialog>
  );
}

export function CardActionsSheet(props: { card: CardRecord; onAction(action: CardAction): void; onInfo(): void; onClose(): void }) {
  return (
    <Dialog title="Card actions" onClose={props.onClose}>
      <CardActions card={props.card} onAction={props.onAction} onInfo={props.onInfo} />
    </Dialog>
  );
}
