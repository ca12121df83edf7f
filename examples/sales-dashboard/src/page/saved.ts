import { emptyBoard, type Board } from "./board.js";

/**
 * The board and the device id live in localStorage beside the client's cursor. The event listener
 * saves the board before it returns, and the client stores the event's cursor only after that, so
 * a reload resumes exactly after the last change the saved board holds (at worst one event is
 * delivered again, and the board ignores an event it already applied).
 */
export function loadBoard(key: string): Board {
  const saved = localStorage.getItem(key);
  if (saved === null) return emptyBoard();
  try {
    return JSON.parse(saved) as Board;
  } catch {
    return emptyBoard();
  }
}

export function saveBoard(key: string, board: Board): void {
  localStorage.setItem(key, JSON.stringify(board));
}

/** Stable for this browser profile: the hub keeps one cursor and sync state per device. */
export function deviceId(): string {
  const key = "sales-dashboard:device";
  let id = localStorage.getItem(key);
  if (id === null) {
    id = `sales-dashboard-${crypto.randomUUID().slice(0, 8)}`;
    localStorage.setItem(key, id);
  }
  return id;
}
