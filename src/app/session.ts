// What the screens share for the lifetime of the page: storage, settings, scheduler, undo.
import builtInVersion from 'virtual:built-in-decks-version';
import type { FSRS } from 'ts-fsrs';
import { createScheduler } from '../domain/scheduler.ts';
import type { StudySettings } from '../domain/types.ts';
import { Storage, type AnswerReceipt } from '../storage/index.ts';
import { UndoStack } from './undoStack.ts';

export interface Session {
  storage: Storage;
  settings: StudySettings;
  scheduler: FSRS;
  undo: UndoStack<AnswerReceipt>;
}

export async function startSession(storage = new Storage()): Promise<Session> {
  // The deck contents are only downloaded and parsed when this app version ships decks
  // the database has not seen yet (first start, or an update that changed a deck).
  if ((await storage.builtInVersion()) !== builtInVersion) {
    const { default: decks } = await import('virtual:built-in-decks');
    await storage.syncBuiltInDecks(decks, builtInVersion, new Date());
  }
  const settings = await storage.settings();
  return { storage, settings, scheduler: createScheduler(settings), undo: new UndoStack() };
}
