/** The headers the import recognises by itself (any other column can be mapped by hand). */
const RECOGNISED: { field: string; headers: string }[] = [
  { field: 'Name', headers: 'Name, Full Name — or First Name and Last Name (required)' },
  { field: 'Address', headers: 'Address, Street, Address 2, Apt, City, State, ZIP / Postal Code, Country' },
  { field: 'Contact', headers: 'E-mail, Phone' },
  { field: 'Status', headers: 'Date of Birth (minors), Minor, Deceased, Guardian' },
  { field: 'Record', headers: 'ID, Member ID, Patient ID, MRN' },
  { field: 'Exposure', headers: 'Data Elements, Data Exposed — e.g. “ssn; dob; medical”' },
];

/** A compact list of the headers the import maps on its own. */
export function RecognisedColumns() {
  return (
    <dl className="recognised">
      {RECOGNISED.map((r) => (
        <div key={r.field} className="recognised__row">
          <dt>{r.field}</dt>
          <dd>{r.headers}</dd>
        </div>
      ))}
    </dl>
  );
}
