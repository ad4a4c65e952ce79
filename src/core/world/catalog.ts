/**
 * The named objects of the synthetic world (docs/design.md §8, issue 4): category names standing in for COCO's
 * detection categories and for the paper's four fine-grained classification datasets, each drawn by one
 * Noto emoji image (Apache-2.0, from the npm package emoji-datasource-google; see scripts/build-atlas.ts).
 *
 * split: `base` categories are pretraining data; `novel` ones are held out for few-shot and open-vocabulary
 * experiments (as the paper trains on 65 COCO base categories and tests on 15 novel ones; its few-shot COCO
 * categories bus, train, stop sign, cat, dog, bed and toilet are novel here).
 * tags: facts the grounding questions reason over ("the animal that can fly", "something you can eat").
 */

export type Family = 'object' | 'flower' | 'pet' | 'aircraft' | 'vehicle';
export type Split = 'base' | 'novel';
export type Tag = 'animal' | 'can_fly' | 'edible' | 'vehicle' | 'furniture' | 'electronic' | 'sport' | 'plant' | 'clothing' | 'tool';

export interface Category {
  name: string;
  /** emoji-datasource short name of the image. */
  emoji: string;
  family: Family;
  split: Split;
  tags: Tag[];
}

type Row = [name: string, emoji: string, split: Split, tags: Tag[]];

const OBJECTS: Row[] = [
  ['person', 'standing_person', 'base', []],
  ['bicycle', 'bike', 'base', ['vehicle', 'sport']],
  ['motorcycle', 'racing_motorcycle', 'base', ['vehicle']],
  ['truck', 'truck', 'base', ['vehicle']],
  ['boat', 'sailboat', 'base', ['vehicle']],
  ['traffic light', 'vertical_traffic_light', 'base', []],
  ['fire extinguisher', 'fire_extinguisher', 'base', ['tool']],
  ['bird', 'bird', 'base', ['animal', 'can_fly']],
  ['horse', 'racehorse', 'novel', ['animal']],
  ['sheep', 'sheep', 'base', ['animal']],
  ['cow', 'cow2', 'base', ['animal']],
  ['elephant', 'elephant', 'base', ['animal']],
  ['bear', 'bear', 'base', ['animal']],
  ['zebra', 'zebra_face', 'novel', ['animal']],
  ['giraffe', 'giraffe_face', 'novel', ['animal']],
  ['backpack', 'school_satchel', 'base', ['clothing']],
  ['umbrella', 'umbrella', 'novel', []],
  ['handbag', 'handbag', 'base', ['clothing']],
  ['tie', 'necktie', 'base', ['clothing']],
  ['suitcase', 'luggage', 'base', []],
  ['frisbee', 'flying_disc', 'base', ['sport']],
  ['skis', 'ski', 'base', ['sport']],
  ['snowboard', 'snowboarder', 'base', ['sport']],
  ['ball', 'soccer', 'base', ['sport']],
  ['kite', 'kite', 'novel', ['can_fly', 'sport']],
  ['baseball', 'baseball', 'base', ['sport']],
  ['glove', 'gloves', 'base', ['clothing']],
  ['skateboard', 'skateboard', 'base', ['sport']],
  ['surfboard', 'surfer', 'base', ['sport']],
  ['tennis ball', 'tennis', 'base', ['sport']],
  ['bottle', 'champagne', 'base', []],
  ['wine glass', 'wine_glass', 'base', []],
  ['cup', 'coffee', 'base', []],
  ['fork', 'fork_and_knife', 'base', ['tool']],
  ['knife', 'hocho', 'base', ['tool']],
  ['spoon', 'spoon', 'base', ['tool']],
  ['bowl', 'bowl_with_spoon', 'base', []],
  ['banana', 'banana', 'base', ['edible']],
  ['apple', 'apple', 'base', ['edible']],
  ['sandwich', 'sandwich', 'base', ['edible']],
  ['orange', 'tangerine', 'base', ['edible']],
  ['broccoli', 'broccoli', 'base', ['edible', 'plant']],
  ['carrot', 'carrot', 'base', ['edible', 'plant']],
  ['hot dog', 'hotdog', 'base', ['edible']],
  ['pizza', 'pizza', 'novel', ['edible']],
  ['donut', 'doughnut', 'base', ['edible']],
  ['cake', 'birthday', 'novel', ['edible']],
  ['chair', 'chair', 'base', ['furniture']],
  ['couch', 'couch_and_lamp', 'base', ['furniture']],
  ['potted plant', 'potted_plant', 'base', ['plant']],
  ['bed', 'bed', 'novel', ['furniture']],
  ['toilet', 'toilet', 'novel', ['furniture']],
  ['tv', 'tv', 'base', ['electronic']],
  ['laptop', 'computer', 'novel', ['electronic']],
  ['mouse', 'three_button_mouse', 'base', ['electronic']],
  ['keyboard', 'keyboard', 'base', ['electronic']],
  ['cell phone', 'iphone', 'base', ['electronic']],
  ['book', 'book', 'base', []],
  ['clock', 'mantelpiece_clock', 'base', []],
  ['vase', 'amphora', 'base', []],
  ['scissors', 'scissors', 'base', ['tool']],
  ['teddy bear', 'teddy_bear', 'base', []],
  ['toothbrush', 'toothbrush', 'base', ['tool']],
  ['train', 'steam_locomotive', 'novel', ['vehicle']],
  ['stop sign', 'octagonal_sign', 'novel', []],
  ['penguin', 'penguin', 'base', ['animal']],
  ['owl', 'owl', 'base', ['animal', 'can_fly']],
  ['duck', 'duck', 'base', ['animal', 'can_fly']],
  ['butterfly', 'butterfly', 'novel', ['animal', 'can_fly']],
  ['bee', 'bee', 'base', ['animal', 'can_fly']],
  ['snail', 'snail', 'base', ['animal']],
  ['crab', 'crab', 'base', ['animal']],
  ['octopus', 'octopus', 'base', ['animal']],
  ['strawberry', 'strawberry', 'base', ['edible']],
  ['grapes', 'grapes', 'base', ['edible']],
  ['watermelon', 'watermelon', 'novel', ['edible']],
  ['hamburger', 'hamburger', 'base', ['edible']],
  ['guitar', 'guitar', 'base', []],
  ['hammer', 'hammer', 'base', ['tool']],
  ['key', 'key', 'base', ['tool']],
  ['light bulb', 'bulb', 'base', ['electronic']],
  ['camera', 'camera', 'base', ['electronic']],
];

const FLOWERS: Row[] = [
  ['cherry blossom', 'cherry_blossom', 'base', ['plant']],
  ['rose', 'rose', 'base', ['plant']],
  ['hibiscus', 'hibiscus', 'base', ['plant']],
  ['sunflower', 'sunflower', 'base', ['plant']],
  ['daisy', 'blossom', 'novel', ['plant']],
  ['tulip', 'tulip', 'base', ['plant']],
  ['lotus', 'lotus', 'novel', ['plant']],
  ['hyacinth', 'hyacinth', 'base', ['plant']],
  ['wilted rose', 'wilted_flower', 'base', ['plant']],
  ['white flower', 'white_flower', 'novel', ['plant']],
  ['rosette', 'rosette', 'base', ['plant']],
  ['bouquet', 'bouquet', 'base', ['plant']],
];

const PETS: Row[] = [
  ['dog', 'dog', 'novel', ['animal']],
  ['cat', 'cat', 'novel', ['animal']],
  ['poodle', 'poodle', 'base', ['animal']],
  ['guide dog', 'guide_dog', 'base', ['animal']],
  ['service dog', 'service_dog', 'novel', ['animal']],
  ['black cat', 'black_cat', 'base', ['animal']],
  ['rabbit', 'rabbit2', 'base', ['animal']],
  ['hamster', 'hamster', 'base', ['animal']],
  ['parrot', 'parrot', 'base', ['animal', 'can_fly']],
  ['turtle', 'turtle', 'novel', ['animal']],
  ['goldfish', 'tropical_fish', 'base', ['animal']],
  ['hedgehog', 'hedgehog', 'base', ['animal']],
];

const AIRCRAFT: Row[] = [
  ['airplane', 'airplane', 'base', ['vehicle', 'can_fly']],
  ['small airplane', 'small_airplane', 'base', ['vehicle', 'can_fly']],
  ['departing airplane', 'airplane_departure', 'novel', ['vehicle', 'can_fly']],
  ['landing airplane', 'airplane_arriving', 'base', ['vehicle', 'can_fly']],
  ['helicopter', 'helicopter', 'base', ['vehicle', 'can_fly']],
  ['rocket', 'rocket', 'base', ['vehicle', 'can_fly']],
  ['flying saucer', 'flying_saucer', 'novel', ['vehicle', 'can_fly']],
  ['parachute', 'parachute', 'base', ['can_fly']],
  ['satellite', 'satellite', 'base', ['can_fly']],
];

const VEHICLES: Row[] = [
  ['car', 'car', 'base', ['vehicle']],
  ['suv', 'blue_car', 'base', ['vehicle']],
  ['taxi', 'taxi', 'base', ['vehicle']],
  ['police car', 'police_car', 'novel', ['vehicle']],
  ['ambulance', 'ambulance', 'base', ['vehicle']],
  ['fire engine', 'fire_engine', 'base', ['vehicle']],
  ['racing car', 'racing_car', 'base', ['vehicle']],
  ['pickup truck', 'pickup_truck', 'novel', ['vehicle']],
  ['lorry', 'articulated_lorry', 'base', ['vehicle']],
  ['tractor', 'tractor', 'base', ['vehicle']],
  ['minibus', 'minibus', 'base', ['vehicle']],
  ['bus', 'bus', 'novel', ['vehicle']],
  ['trolleybus', 'trolleybus', 'base', ['vehicle']],
  ['auto rickshaw', 'auto_rickshaw', 'novel', ['vehicle']],
  ['scooter', 'motor_scooter', 'base', ['vehicle']],
];

const rows = (family: Family, list: Row[]): Category[] => list.map(([name, emoji, split, tags]) => ({ name, emoji, family, split, tags }));

/** Every named category, in atlas order. */
export const CATEGORIES: readonly Category[] = [...rows('object', OBJECTS), ...rows('flower', FLOWERS), ...rows('pet', PETS), ...rows('aircraft', AIRCRAFT), ...rows('vehicle', VEHICLES)];

/** The classification families and the word naming each in prompts (the fine-grained datasets' analogues). */
export const FAMILY_WORDS: Record<Exclude<Family, 'object'>, string> = { flower: 'flower', pet: 'pet', aircraft: 'aircraft', vehicle: 'vehicle' };

export function categoryByName(name: string): Category {
  const c = CATEGORIES.find((x) => x.name === name);
  if (!c) throw new Error(`unknown category ${name}`);
  return c;
}
