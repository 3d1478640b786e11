import { crudResource, requiredPicker, requiredString } from '../shared/crud';
import {
	clientField,
	inactiveFilters,
	includeDetails,
	searchFilter,
	siteField,
	sortFilters,
} from '../shared/commonFields';

/** End-user contacts of clients, /Users. */
export const user = crudResource({
	spec: {
		value: 'user',
		label: 'User',
		plural: 'Users',
		path: '/Users',
		listKey: 'users',
		paged: true,
		area: 'customers',
		portalUrlPattern: 'customers\\?userid=(\\d+)',
	},
	picker: {
		label: (row) => (row.emailaddress ? `${row.name ?? row.id} <${row.emailaddress}>` : String(row.name ?? row.id)),
		narrowBy: ['site_id', 'client_id'],
	},
	operations: ['create', 'delete', 'get', 'getAll', 'update'],
	required: [
		requiredString('Name', 'name', 'name', 'Full name of the user'),
		requiredPicker('Site', 'siteId', 'site_id', 'getSites'),
	],
	fields: [
		{ key: 'firstname', displayName: 'First Name', type: 'string' },
		{ key: 'surname', displayName: 'Surname', type: 'string' },
		{ key: 'emailaddress', displayName: 'Email Address', type: 'string' },
		{ key: 'phonenumber', displayName: 'Phone Number', type: 'string' },
		{ key: 'mobilenumber', displayName: 'Mobile Number', type: 'string' },
		{ key: 'login', displayName: 'Login', type: 'string' },
		{ key: 'title', displayName: 'Title', type: 'string' },
		{ key: 'notes', displayName: 'Notes', type: 'html' },
		{ key: 'inactive', displayName: 'Inactive', type: 'boolean', description: 'Whether the user is inactive' },
		{
			key: 'isimportantcontact',
			displayName: 'Important Contact',
			type: 'boolean',
			description: 'Whether the user is an important contact',
		},
	],
	updateOnly: [
		{ key: 'name', displayName: 'Name', type: 'string' },
		{ key: 'site_id', displayName: 'Site', type: 'number', loadOptions: 'getSites' },
	],
	filters: [
		clientField,
		siteField('filters'),
		searchFilter('name, e-mail and login'),
		...inactiveFilters('users'),
		{ key: 'lastupdatefromdate', displayName: 'Updated After', type: 'dateTime' },
		...sortFilters('name'),
	],
	getOptions: [includeDetails('child objects such as custom fields')],
	customFields: true,
});
